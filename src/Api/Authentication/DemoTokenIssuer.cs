using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ImageCatalog.Api.Authentication;

/// <summary>
/// The embedded run mode's tokens: an RSA key kept under <c>.data/</c> signs a token for the demo project, so that
/// the curl command the service prints works as it stands. Only present when no token issuer is configured.
/// </summary>
public sealed class DemoTokenIssuer
{
    public const string Issuer = "imagecatalog-demo";
    public const string Audience = "imagecatalog";
    public const string KeyFileName = "demo-token-key.pem";

    private readonly RsaSecurityKey _signingKey;

    private DemoTokenIssuer(RSA rsa)
    {
        _signingKey = new RsaSecurityKey(rsa);
        VerificationKey = new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false));
    }

    public SecurityKey VerificationKey { get; }

    public static DemoTokenIssuer LoadOrCreate(string folder)
    {
        var path = Path.Combine(folder, KeyFileName);
        var rsa = RSA.Create(2048);
        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            OwnerOnlyFile.Write(path, rsa.ExportPkcs8PrivateKeyPem());
        }

        return new DemoTokenIssuer(rsa);
    }

    public string Mint(string projectId, DateTime now) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        IssuedAt = now,
        NotBefore = now,
        Expires = now.AddDays(1),
        SigningCredentials = new SigningCredentials(_signingKey, SecurityAlgorithms.RsaSha256),
        Claims = new Dictionary<string, object>
        {
            ["sub"] = "demo",
            ["projects"] = new[] { projectId },
            ["roles"] = new[] { "operator" },
        },
    });
}
