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
        new(new CallerIdentity(
            [
                new Claim(CredentialClaim, credential),
                .. projects.Select(project => new Claim(ProjectsClaim, project)),
                .. roles.Select(role => new Claim(RolesClaim, role)),
            ],
            scheme));

    private static readonly Dictionary<string, Role> RoleNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["reader"] = Role.Reader,
        ["writer"] = Role.Writer,
        ["operator"] = Role.Operator,
    };

    /// <summary>The strongest role the principal holds; unknown role names count for nothing.</summary>
    public static Role? HighestRole(this ClaimsPrincipal user) =>
        user.Identity is CallerIdentity caller ? caller.HighestRole : Highest(user.FindAll(RolesClaim));

    public static bool MayActOn(this ClaimsPrincipal user, string projectId) =>
        user.Identity is CallerIdentity caller
            ? MayActOn(caller.Projects, projectId)
            : MayActOn([.. user.FindAll(ProjectsClaim).Select(claim => claim.Value)], projectId);

    public static bool IsOperator(this ClaimsPrincipal user) => user.HighestRole() == Role.Operator;

    public static string? Credential(this ClaimsPrincipal user) => user.FindFirst(CredentialClaim)?.Value;

    private static Role? Highest(IEnumerable<Claim> roles) =>
        roles.Select(claim => RoleNames.TryGetValue(claim.Value, out var role) ? role : (Role?)null).Max();

    private static bool MayActOn(ReadOnlySpan<string> projects, string projectId)
    {
        foreach (var project in projects)
        {
            if (project == AllProjects || string.Equals(project, projectId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The identity <see cref="Principal"/> makes. Its projects and strongest role are read from the claims once, when
    /// the credential is validated (a validated token's principal is cached and reused), not on every request.
    /// </summary>
    private sealed class CallerIdentity : ClaimsIdentity
    {
        public CallerIdentity(IEnumerable<Claim> claims, string? scheme)
            : base(claims, scheme, CredentialClaim, RolesClaim)
        {
            Projects = [.. FindAll(ProjectsClaim).Select(claim => claim.Value)];
            HighestRole = Highest(FindAll(RolesClaim));
        }

        private CallerIdentity(CallerIdentity other)
            : base(other)
        {
            Projects = other.Projects;
            HighestRole = other.HighestRole;
        }

        public string[] Projects { get; }

        public Role? HighestRole { get; }

        // The validated-token cache hands each request a clone; the claims are copied, what was read from them is not re-read.
        public override ClaimsIdentity Clone() => new CallerIdentity(this);
    }
}
