using System.Security.Claims;

namespace ImageCatalog.Api.Authentication;

/// <summary>Roles are cumulative: a writer is a reader, an operator is a writer who may also write built-in images.</summary>
public enum Role
{
    Reader = 1,
    Writer = 2,
    Operator = 3,
}

/// <summary>The claims every authentication scheme of this service gives its principal, and how to read them.</summary>
public static class Caller
{
    public const string CredentialClaim = "credential";
    public const string ProjectsClaim = "projects";
    public const string RolesClaim = "roles";
    public const string AllProjects = "*";

    public static ClaimsPrincipal Principal(string scheme, string credential, IEnumerable<string> projects, IEnumerable<string> roles) =>
        new(new ClaimsIdentity(
            [
                new Claim(CredentialClaim, credential),
                .. projects.Select(project => new Claim(ProjectsClaim, project)),
                .. roles.Select(role => new Claim(RolesClaim, role)),
            ],
            scheme,
            CredentialClaim,
            RolesClaim));

    private static readonly Dictionary<string, Role> RoleNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["reader"] = Role.Reader,
        ["writer"] = Role.Writer,
        ["operator"] = Role.Operator,
    };

    /// <summary>The strongest role the principal holds; unknown role names count for nothing.</summary>
    public static Role? HighestRole(this ClaimsPrincipal user) =>
        user.FindAll(RolesClaim).Select(claim => RoleNames.TryGetValue(claim.Value, out var role) ? role : (Role?)null).Max();

    public static bool MayActOn(this ClaimsPrincipal user, string projectId) =>
        user.FindAll(ProjectsClaim).Any(claim => claim.Value == AllProjects || string.Equals(claim.Value, projectId, StringComparison.Ordinal));

    public static bool IsOperator(this ClaimsPrincipal user) => user.HighestRole() == Role.Operator;

    public static string? Credential(this ClaimsPrincipal user) => user.FindFirst(CredentialClaim)?.Value;
}
