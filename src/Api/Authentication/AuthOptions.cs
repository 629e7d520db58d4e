using Microsoft.Extensions.Options;

namespace ImageCatalog.Api.Authentication;

/// <summary>
/// The <c>Auth</c> configuration section. Access keys come in the shape a Kubernetes Secret can supply as
/// environment variables: <c>Auth__AccessKeys__0__AccessKey</c>, <c>..__SecretKey</c>, <c>..__Projects__0</c>, <c>..__Roles__0</c>.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public List<AccessKeyCredential> AccessKeys { get; set; } = [];

    /// <summary>How far X-Sdk-Date may be from the server's clock.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(15);

    public JwtSettings Jwt { get; set; } = new();
}

/// <summary>Tokens (<c>X-Auth-Token</c> or <c>Authorization: Bearer</c>): signed JWTs from a configured issuer.</summary>
public sealed class JwtSettings
{
    /// <summary>An OpenID Connect issuer whose discovery document gives the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>A PEM public key (RSA or EC) or a JWKS document, instead of <see cref="Authority"/>.</summary>
    public string? SigningKeysFile { get; set; }

    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    public string ProjectsClaim { get; set; } = "projects";

    public string RolesClaim { get; set; } = "roles";

    /// <summary>The claim that names the caller in logs and rate limits.</summary>
    public string SubjectClaim { get; set; } = "sub";

    public bool RequireHttpsMetadata { get; set; } = true;
}

public sealed class AccessKeyCredential
{
    public string AccessKey { get; set; } = "";

    public string SecretKey { get; set; } = "";

    /// <summary>Project ids this key may act on; <c>*</c> for all.</summary>
    public List<string> Projects { get; set; } = [];

    /// <summary><c>reader</c>, <c>writer</c> or <c>operator</c>; each includes the ones before it.</summary>
    public List<string> Roles { get; set; } = [];
}

/// <summary>What start-up refuses, each failure naming its key. An unknown role is allowed: it grants nothing.</summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > MaxClockSkew)
        {
            failures.Add($"{AuthOptions.SectionName}:{nameof(AuthOptions.ClockSkew)} must be from 00:00:00 to {MaxClockSkew:c}, not {options.ClockSkew:c}");
        }

        for (var i = 0; i < options.AccessKeys.Count; i++)
        {
            var key = options.AccessKeys[i];
            var prefix = $"{AuthOptions.SectionName}:{nameof(AuthOptions.AccessKeys)}:{i}";
            if (string.IsNullOrWhiteSpace(key.AccessKey))
            {
                failures.Add($"{prefix}:{nameof(AccessKeyCredential.AccessKey)} is empty");
            }

            // The secret itself is never part of a message.
            if (string.IsNullOrWhiteSpace(key.SecretKey))
            {
                failures.Add($"{prefix}:{nameof(AccessKeyCredential.SecretKey)} is empty");
            }
        }

        var repeated = options.AccessKeys.GroupBy(key => key.AccessKey, StringComparer.Ordinal).Where(group => group.Count() > 1).Select(group => group.Key);
        failures.AddRange(repeated.Select(accessKey => $"{AuthOptions.SectionName}:{nameof(AuthOptions.AccessKeys)} has the access key {accessKey} more than once"));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
