using System.Security.Claims;
using ImageCatalog.Api.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;

namespace ImageCatalog.Api.Authentication;

/// <summary>The caller may act on the route's project with at least <see cref="Minimum"/>.</summary>
public sealed class ProjectAccessRequirement(Role minimum) : IAuthorizationRequirement
{
    public Role Minimum { get; } = minimum;
}

/// <summary>
/// Checks the route's project against the caller's projects (and, for signed requests, against X-Project-Id),
/// then the caller's role. The failure reason carries the contract's code for the 403.
/// </summary>
public sealed class ProjectAccessHandler : AuthorizationHandler<ProjectAccessRequirement>
{
    public const string ProjectMismatch = "ModelArts.0210";
    public const string RoleMissing = "ModelArts.0108";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ProjectAccessRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated != true || context.Resource is not HttpContext http)
        {
            return Task.CompletedTask;
        }

        if (Check(context.User, http, requirement) is { } failure)
        {
            context.Fail(new AuthorizationFailureReason(this, failure));
        }
        else
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    /// <summary>Null when an authenticated <paramref name="user"/> meets <paramref name="requirement"/>; else the failure's code.</summary>
    internal static string? Check(ClaimsPrincipal user, HttpContext http, ProjectAccessRequirement requirement)
    {
        var project = http.GetRouteValue("project_id") as string ?? "";
        var claimed = http.Request.Headers["X-Project-Id"];
        if (!user.MayActOn(project) || (claimed.Count > 0 && (claimed.Count > 1 || claimed[0] != project)))
        {
            return ProjectMismatch;
        }

        return user.HighestRole() is not { } role || role < requirement.Minimum ? RoleMissing : null;
    }
}

/// <summary>
/// The authorization middleware's policy evaluator. The contract's policies (an authenticated caller and
/// <see cref="ProjectAccessRequirement"/>, <see cref="Policies"/>) are decided here with
/// <see cref="ProjectAccessHandler.Check"/> and give the outcomes the framework's evaluator gives for them: a challenge
/// without credentials, a forbid with the failure's code, or success. That skips, on every API request, an
/// authorization service, handler context, handler provider and two handlers resolved and run for one comparison
/// (docs/performance.md). Any other policy goes to the framework's evaluator, and the handler serves it there.
/// </summary>
public sealed class ContractPolicyEvaluator(ProjectAccessHandler handler) : IPolicyEvaluator
{
    private static readonly Task<PolicyAuthorizationResult> Succeeded = Task.FromResult(PolicyAuthorizationResult.Success());
    private static readonly Task<PolicyAuthorizationResult> Challenged = Task.FromResult(PolicyAuthorizationResult.Challenge());

    public Task<AuthenticateResult> AuthenticateAsync(AuthorizationPolicy policy, HttpContext context) =>
        policy.AuthenticationSchemes.Count == 0 && context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult is { } result
            ? Task.FromResult(result)
            : Framework(context).AuthenticateAsync(policy, context);

    public Task<PolicyAuthorizationResult> AuthorizeAsync(
        AuthorizationPolicy policy, AuthenticateResult authenticationResult, HttpContext context, object? resource)
    {
        if (policy.Requirements is not [DenyAnonymousAuthorizationRequirement, ProjectAccessRequirement requirement]
            || resource is not HttpContext http)
        {
            return Framework(context).AuthorizeAsync(policy, authenticationResult, context, resource);
        }

        if (!IsAuthenticated(context.User))
        {
            return authenticationResult.Succeeded
                ? Task.FromResult(PolicyAuthorizationResult.Forbid())
                : Challenged;
        }

        return ProjectAccessHandler.Check(context.User, http, requirement) is { } failure
            ? Task.FromResult(PolicyAuthorizationResult.Forbid(AuthorizationFailure.Failed([new AuthorizationFailureReason(handler, failure)])))
            : Succeeded;
    }

    // DenyAnonymousAuthorizationRequirement's rule: any authenticated identity.
    private static bool IsAuthenticated(ClaimsPrincipal user)
    {
        foreach (var identity in user.Identities)
        {
            if (identity.IsAuthenticated)
            {
                return true;
            }
        }

        return false;
    }

    private static PolicyEvaluator Framework(HttpContext context) =>
        new(context.RequestServices.GetRequiredService<IAuthorizationService>());
}

/// <summary>Turns the authorization outcome into the contract's 401 and 403 bodies.</summary>
public sealed class ContractAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    // Not async: on success it hands the request on without a state machine of its own around the rest of the pipeline.
    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated == true)
        {
            var reason = authorizeResult.AuthorizationFailure?.FailureReasons.Select(failure => failure.Message).FirstOrDefault();
            var (code, message) = reason == ProjectAccessHandler.ProjectMismatch
                ? (ProjectAccessHandler.ProjectMismatch, "The credentials are not valid for the project in the URL.")
                : (ProjectAccessHandler.RoleMissing, "The credentials' role does not allow this operation.");
            return ErrorResponse.WriteAsync(context, StatusCodes.Status403Forbidden, code, message);
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}

/// <summary>The policies the controllers name.</summary>
public static class Policies
{
    public const string Read = "read";
    public const string Write = "write";
}
