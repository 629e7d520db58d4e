using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ImageCatalog.Api.Authentication;

/// <summary>
/// JwtBearer as this API needs it: the token from <c>X-Auth-Token</c> or <c>Authorization: Bearer</c>, asymmetric
/// algorithms only (so <c>alg: none</c> and HMAC tokens fail), issuer, audience and lifetime checked, and the
/// configured project and role claims turned into the caller's claims.
/// </summary>
public static class JwtSetup
{
    public const string TokenHeader = "X-Auth-Token";

    private static readonly string[] Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    public static void Configure(
        JwtBearerOptions options, AuthOptions auth, IReadOnlyList<SecurityKey> extraKeys, ValidatedTokenCache? validatedTokens = null)
    {
        var jwt = auth.Jwt;
        options.MapInboundClaims = false;
        options.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
        if (!string.IsNullOrWhiteSpace(jwt.Authority))
        {
            options.Authority = jwt.Authority;
        }

        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = jwt.Issuer is not null || jwt.Authority is not null,
            ValidIssuer = jwt.Issuer,
            ValidateAudience = jwt.Audience is not null,
            ValidAudience = jwt.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidAlgorithms = Algorithms,
            ClockSkew = TimeSpan.FromMinutes(1),
            IssuerSigningKeys = [.. LoadKeys(jwt.SigningKeysFile), .. extraKeys],
        };
        options.Events = new JwtBearerEvents
        {
            // A token already in the validated-token cache never gets here: CredentialAuthenticationMiddleware answers
            // it; this scheme validates the others and adds them (OnTokenValidated).
            OnMessageReceived = context =>
            {
                context.Token = TokenOf(context.Request);
                return Task.CompletedTask;
            },
            OnTokenValidated = context =>
            {
                var claims = context.Principal!;
                context.Principal = Caller.Principal(
                    JwtBearerDefaults.AuthenticationScheme,
                    claims.FindFirst(jwt.SubjectClaim)?.Value ?? "token",
                    claims.FindAll(jwt.ProjectsClaim).Select(claim => claim.Value),
                    claims.FindAll(jwt.RolesClaim).Select(claim => claim.Value));
                if (validatedTokens is not null && context.SecurityToken is JsonWebToken validated)
                {
                    validatedTokens.Add(validated.EncodedToken, context.Principal, new DateTimeOffset(validated.ValidTo, TimeSpan.Zero));
                }

                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                var failure = context.AuthenticateFailure switch
                {
                    null => null,
                    SecurityTokenExpiredException => new CredentialFailure(CredentialFailure.Expired, "The token has expired."),
                    _ => new CredentialFailure(CredentialFailure.Invalid, "The token is not valid."),
                };
                await Challenges.WriteAsync(context.HttpContext, failure);
            },
        };
    }

    /// <summary>The token of <c>X-Auth-Token</c> (one value), else of <c>Authorization: Bearer</c>; null when neither has one.</summary>
    public static string? TokenOf(HttpRequest request)
    {
        if (request.Headers[TokenHeader] is { Count: 1 } token)
        {
            return token[0];
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }

    /// <summary>A PEM public key, or a JWKS document.</summary>
    public static IEnumerable<SecurityKey> LoadKeys(string? file)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            return [];
        }

        var text = File.ReadAllText(file);
        if (text.TrimStart().StartsWith('{'))
        {
            return new JsonWebKeySet(text).GetSigningKeys();
        }

        return [PemKey(text)];
    }

    // A PEM "PUBLIC KEY" block does not say its algorithm: try RSA, then EC.
    private static SecurityKey PemKey(string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            rsa.Dispose();
        }

        var ec = ECDsa.Create();
        ec.ImportFromPem(pem);
        return new ECDsaSecurityKey(ec);
    }
}

/// <summary>Binds JwtBearerOptions to the Auth section when they are first needed, so test settings reach them.</summary>
public sealed class JwtBearerOptionsSetup(IOptions<AuthOptions> auth, ValidatedTokenCache validatedTokens, DemoTokenIssuer? demo = null)
    : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name == JwtBearerDefaults.AuthenticationScheme)
        {
            JwtSetup.Configure(options, auth.Value, demo is null ? [] : [demo.VerificationKey], validatedTokens);
        }
    }

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);
}
