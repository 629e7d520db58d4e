using ImageCatalog.Api.Http;
using Microsoft.AspNetCore.Authorization;
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

        var project = http.GetRouteValue("project_id") as string ?? "";
        var claimed = http.Request.Headers["X-Project-Id"];
        if (!context.User.MayActOn(project) || (claimed.Count > 0 && (claimed.Count > 1 || claimed[0] != project)))
        {
            context.Fail(new AuthorizationFailureReason(this, ProjectMismatch));
        }
        else if (context.User.HighestRole() is not { } role || role < requirement.Minimum)
        {
            context.Fail(new AuthorizationFailureReason(this, RoleMissing));
        }
        else
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
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
