using ImageCatalog.Application.ImageGroups.GetImageGroups;

namespace ImageCatalog.UnitTests.Application;

public sealed class GetImageGroupsQueryValidatorTests
{
    private const string Project = "0123456789abcdef0123456789abcdef";
    private readonly GetImageGroupsQueryValidator _validator = new();


    [Test]
    public void The_defaults_are_valid() => Assert.That(_validator.Validate(new GetImageGroupsQuery(Project)).IsValid, Is.True);

    public static IEnumerable<TestCaseData> Invalid()
    {
        yield return new TestCaseData(new GetImageGroupsQuery(Project, Name: "UPPER"), "Name");
        yield return new TestCaseData(new GetImageGroupsQuery(Project, Name: new string('a', 513)), "Name");
        yield return new TestCaseData(new GetImageGroupsQuery(Project, Name: ""), "Name");
        yield return new TestCaseData(new GetImageGroupsQuery(Project, Namespace: "9lives"), "Namespace");
        yield return new TestCaseData(new GetImageGroupsQuery(Project, WorkspaceId: "ws"), "WorkspaceId");
        yield return new TestCaseData(new GetImageGroupsQuery(Project, Limit: 0), "Limit");
        yield return new TestCaseData(new GetImageGroupsQuery(Project, Limit: 1001), "Limit");
        yield return new TestCaseData(new GetImageGroupsQuery(Project, Offset: -1), "Offset");
        yield return new TestCaseData(new GetImageGroupsQuery("bad project"), "ProjectId");
    }

    [TestCaseSource(nameof(Invalid))]
    public void Names_the_property_that_breaks_a_rule(GetImageGroupsQuery query, string property)
    {
        var result = _validator.Validate(query);

        Assert.That(result.Errors.Select(error => error.PropertyName), Is.EqualTo(new[] { property }));
    }

    [Test]
    public void Reports_every_broken_rule()
    {
        var result = _validator.Validate(new GetImageGroupsQuery(Project, Name: "A", Namespace: "1", Limit: 0, Offset: -1));

        Assert.That(
            result.Errors.Select(error => error.PropertyName),
            Is.EquivalentTo(new[] { "Name", "Namespace", "Limit", "Offset" }));
    }
}
