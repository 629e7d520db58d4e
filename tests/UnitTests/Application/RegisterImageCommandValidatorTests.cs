using ImageCatalog.Application.Images.RegisterImage;
using ImageCatalog.Domain.Images;

namespace ImageCatalog.UnitTests.Application;

public sealed class RegisterImageCommandValidatorTests
{
    private const string Project = "0123456789abcdef0123456789abcdef";
    private const string Path = "swr.example.com/team/app:1";
    private readonly RegisterImageCommandValidator _validator = new();


    [Test]
    public void A_path_alone_is_valid() => Assert.That(_validator.Validate(new RegisterImageCommand(Project, Path)).IsValid, Is.True);

    [Test]
    public void Every_limit_at_its_edge_is_valid()
    {
        var command = new RegisterImageCommand(
            Project,
            Path,
            Description: new string('d', 512),
            ReadMe: new string('r', 3000),
            Tags: [.. Enumerable.Range(0, 20).Select(i => new string('t', 128 - 3) + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture))],
            Services: [DevService.Notebook, DevService.Ssh],
            ResourceCategory: [ResourceCategory.Cpu, ResourceCategory.Gpu]);

        var result = _validator.Validate(command);

        Assert.That(result.IsValid, Is.True, string.Join("; ", result.Errors));
    }

    public static IEnumerable<TestCaseData> Invalid()
    {
        yield return new TestCaseData(new RegisterImageCommand(Project, null), "SwrPath", "is required");
        yield return new TestCaseData(new RegisterImageCommand(Project, "swr.example.com/team/app"), "SwrPath", "no tag");
        yield return new TestCaseData(new RegisterImageCommand(Project, Path, Description: new string('d', 513)), "Description", "512");
        yield return new TestCaseData(new RegisterImageCommand(Project, Path, ReadMe: new string('r', 3001)), "ReadMe", "3000");
        yield return new TestCaseData(new RegisterImageCommand(Project, Path, WorkspaceId: ""), "WorkspaceId", "32");
        yield return new TestCaseData(new RegisterImageCommand(Project, Path, Tags: [.. Enumerable.Repeat("t", 21)]), "Tags", "20");
        yield return new TestCaseData(new RegisterImageCommand(Project, Path, Tags: [""]), "Tags[0]", "1-128");
        yield return new TestCaseData(new RegisterImageCommand(Project, Path, Tags: ["ok", new string('t', 129)]), "Tags[1]", "1-128");
        yield return new TestCaseData(new RegisterImageCommand(Project, Path, Services: [DevService.Ssh, DevService.Ssh]), "Services", "repeat");
        yield return new TestCaseData(
            new RegisterImageCommand(Project, Path, ResourceCategory: [ResourceCategory.Gpu, ResourceCategory.Gpu]), "ResourceCategory", "repeat");
        yield return new TestCaseData(new RegisterImageCommand("", Path), "ProjectId", "1-64");
        yield return new TestCaseData(new RegisterImageCommand(Project, Path, Description: "a\0b"), "Description", "NUL");
        yield return new TestCaseData(new RegisterImageCommand(Project, Path, ReadMe: "\0"), "ReadMe", "NUL");
        yield return new TestCaseData(new RegisterImageCommand(Project, Path, Tags: ["ok", "t\0"]), "Tags[1]", "NUL");
        yield return new TestCaseData(new RegisterImageCommand(Project, Path, IdempotencyKey: ""), "Idempotency-Key", "1-255");
        yield return new TestCaseData(new RegisterImageCommand(Project, Path, IdempotencyKey: new string('k', 256)), "Idempotency-Key", "1-255");
        yield return new TestCaseData(new RegisterImageCommand(Project, Path, IdempotencyKey: "a b"), "Idempotency-Key", "visible ASCII");
        yield return new TestCaseData(new RegisterImageCommand(Project, Path, IdempotencyKey: "clé"), "Idempotency-Key", "visible ASCII");
        yield return new TestCaseData(new RegisterImageCommand(Project, Path, IdempotencyKey: "a\u007fb"), "Idempotency-Key", "visible ASCII");
    }

    [TestCase("0f8fad5b-d9cb-469f-a165-70867728950e")]
    [TestCase("!")]
    [TestCase("~{}[]<>\"'`\\|^")]
    public void A_key_of_visible_ascii_is_valid(string key) =>
        Assert.That(_validator.Validate(new RegisterImageCommand(Project, Path, IdempotencyKey: key)).IsValid, Is.True);

    [Test]
    public void A_key_of_255_characters_is_valid() =>
        Assert.That(_validator.Validate(new RegisterImageCommand(Project, Path, IdempotencyKey: new string('k', 255))).IsValid, Is.True);

    [TestCaseSource(nameof(Invalid))]
    public void Names_the_field_and_the_rule(RegisterImageCommand command, string field, string rule)
    {
        var result = _validator.Validate(command);

        Assert.That(result.Errors, Has.Count.EqualTo(1), string.Join("; ", result.Errors));
        Assert.That(result.Errors[0].PropertyName, Is.EqualTo(field));
        Assert.That(result.Errors[0].ErrorMessage, Does.Contain(rule));
    }
}
