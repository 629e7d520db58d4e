using System.Security.Claims;
using ImageCatalog.Api.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ImageCatalog.UnitTests.Authentication;

public sealed class ContractPolicyEvaluatorTests
{
    private static readonly AuthorizationPolicy Read =
        new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new ProjectAccessRequirement(Role.Reader)).Build();

    private static readonly AuthorizationPolicy Write =
        new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new ProjectAccessRequirement(Role.Writer)).Build();

    private readonly ContractPolicyEvaluator _evaluator = new(new ProjectAccessHandler());

    [Test]
    public async Task The_contracts_policies_succeed_challenge_or_forbid_with_the_failures_code()
    {
        var reader = Caller.Principal("Bearer", "ci", ["p-1"], ["reader"]);

        var allowed = await AuthorizeAsync(Read, reader, "p-1");
        var otherProject = await AuthorizeAsync(Read, reader, "p-2");
        var weakRole = await AuthorizeAsync(Write, reader, "p-1");
        var anonymous = await AuthorizeAsync(Read, new ClaimsPrincipal(new ClaimsIdentity()), "p-1", authenticated: false);

        Assert.Multiple(() =>
        {
            Assert.That(allowed.Succeeded, Is.True);
            Assert.That(otherProject.Forbidden, Is.True);
            Assert.That(Reason(otherProject), Is.EqualTo(ProjectAccessHandler.ProjectMismatch));
            Assert.That(weakRole.Forbidden, Is.True);
            Assert.That(Reason(weakRole), Is.EqualTo(ProjectAccessHandler.RoleMissing));
            Assert.That(anonymous.Challenged, Is.True);
        });
    }

    [Test]
    public async Task A_signed_request_for_another_project_than_its_header_names_is_forbidden()
    {
        var result = await AuthorizeAsync(Read, Caller.Principal("SdkSignature", "ak", [Caller.AllProjects], ["operator"]), "p-1", projectHeader: "p-2");

        Assert.That(Reason(result), Is.EqualTo(ProjectAccessHandler.ProjectMismatch));
    }

    [Test]
    public async Task Any_other_policy_is_decided_by_the_frameworks_handlers()
    {
        var policy = new AuthorizationPolicyBuilder().RequireClaim("team", "vision").Build();
        var member = new ClaimsPrincipal(new ClaimsIdentity([new Claim("team", "vision")], "test"));
        var outsider = new ClaimsPrincipal(new ClaimsIdentity([new Claim("team", "search")], "test"));

        var allowed = await AuthorizeAsync(policy, member, "p-1");
        var refused = await AuthorizeAsync(policy, outsider, "p-1");

        Assert.Multiple(() =>
        {
            Assert.That(allowed.Succeeded, Is.True);
            Assert.That(refused.Forbidden, Is.True);
        });
    }

    private static string? Reason(Microsoft.AspNetCore.Authorization.Policy.PolicyAuthorizationResult result) =>
        result.AuthorizationFailure?.FailureReasons.Single().Message;

    private async Task<Microsoft.AspNetCore.Authorization.Policy.PolicyAuthorizationResult> AuthorizeAsync(
        AuthorizationPolicy policy, ClaimsPrincipal user, string routeProject, bool authenticated = true, string? projectHeader = null)
    {
        var services = new ServiceCollection().AddLogging().AddAuthorization().BuildServiceProvider();
        var context = new DefaultHttpContext { User = user, RequestServices = services };
        context.Request.RouteValues["project_id"] = routeProject;
        if (projectHeader is not null)
        {
            context.Request.Headers["X-Project-Id"] = projectHeader;
        }

        var authentication = authenticated ? AuthenticateResult.Success(new AuthenticationTicket(user, "test")) : AuthenticateResult.NoResult();
        return await _evaluator.AuthorizeAsync(policy, authentication, context, context);
    }
}
