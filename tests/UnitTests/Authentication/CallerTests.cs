using System.Security.Claims;
using ImageCatalog.Api.Authentication;

namespace ImageCatalog.UnitTests.Authentication;

public sealed class CallerTests
{
    [Test]
    public void A_callers_projects_and_strongest_role_come_from_its_claims()
    {
        var caller = Caller.Principal("Bearer", "team-vision", ["p-1", "p-2"], ["reader", "WRITER", "pilot"]);

        Assert.Multiple(() =>
        {
            Assert.That(caller.MayActOn("p-2"), Is.True);
            Assert.That(caller.MayActOn("p-3"), Is.False);
            Assert.That(caller.MayActOn("P-1"), Is.False, "project ids are compared ordinally");
            Assert.That(caller.HighestRole(), Is.EqualTo(Role.Writer));
            Assert.That(caller.IsOperator(), Is.False);
            Assert.That(caller.Credential(), Is.EqualTo("team-vision"));
        });
    }

    [Test]
    public void All_projects_and_no_known_role()
    {
        var caller = Caller.Principal("SdkSignature", "ak-1", [Caller.AllProjects], ["pilot"]);

        Assert.That(caller.MayActOn("any-project"), Is.True);
        Assert.That(caller.HighestRole(), Is.Null);
    }

    [Test]
    public void A_clone_as_the_token_cache_hands_out_answers_the_same()
    {
        var clone = Caller.Principal("Bearer", "ops", ["p-1"], ["operator"]).Clone();

        Assert.Multiple(() =>
        {
            Assert.That(clone.MayActOn("p-1"), Is.True);
            Assert.That(clone.MayActOn("p-2"), Is.False);
            Assert.That(clone.IsOperator(), Is.True);
            Assert.That(clone.Identity?.AuthenticationType, Is.EqualTo("Bearer"));
            Assert.That(clone.FindAll(Caller.ProjectsClaim).Select(claim => claim.Value), Is.EqualTo(new[] { "p-1" }));
        });
    }

    [Test]
    public void A_principal_made_elsewhere_is_read_from_its_claims()
    {
        var other = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(Caller.ProjectsClaim, "p-9"), new Claim(Caller.RolesClaim, "operator")], "Test"));

        Assert.That(other.MayActOn("p-9"), Is.True);
        Assert.That(other.MayActOn("p-1"), Is.False);
        Assert.That(other.HighestRole(), Is.EqualTo(Role.Operator));
    }
}
