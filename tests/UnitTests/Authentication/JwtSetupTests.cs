using System.Security.Claims;
using System.Security.Cryptography;
using ImageCatalog.Api.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ImageCatalog.UnitTests.Authentication;

/// <summary>The token policy of JwtSetup: key files in each form, ES256 as well as RS256, and the algorithms it refuses.</summary>
public sealed class JwtSetupTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("jwt-setup-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task An_es256_token_validates_against_an_ec_pem_file()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var file = Write("ec.pem", key.ExportSubjectPublicKeyInfoPem());

        var result = await ValidateAsync(file, new SigningCredentials(new ECDsaSecurityKey(key), SecurityAlgorithms.EcdsaSha256));

        Assert.That(result.IsValid, Is.True, result.Exception?.Message);
    }

    [Test]
    public async Task An_rs256_token_validates_against_a_jwks_file()
    {
        using var key = RSA.Create(2048);
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.ExportParameters(false)) { KeyId = "k1" });
        var file = Write("keys.json", $"{{\"keys\":[{System.Text.Json.JsonSerializer.Serialize(new { kty = jwk.Kty, kid = jwk.Kid, n = jwk.N, e = jwk.E, use = "sig" })}]}}");

        var result = await ValidateAsync(file, new SigningCredentials(new RsaSecurityKey(key) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256));

        Assert.That(result.IsValid, Is.True, result.Exception?.Message);
    }

    [Test]
    public async Task An_hmac_token_is_refused_even_with_a_matching_key()
    {
        var secret = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32));
        using var rsa = RSA.Create(2048);
        var file = Write("rsa.pem", rsa.ExportSubjectPublicKeyInfoPem());

        var result = await ValidateAsync(file, new SigningCredentials(secret, SecurityAlgorithms.HmacSha256), extraKeys: [secret]);

        Assert.That(result.IsValid, Is.False);
    }

    [Test]
    public void Configured_claim_names_become_the_callers_claims()
    {
        var auth = new AuthOptions { Jwt = { ProjectsClaim = "tenant_ids", RolesClaim = "perms", SubjectClaim = "client_id" } };
        var options = new JwtBearerOptions();
        JwtSetup.Configure(options, auth, []);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("client_id", "ci-bot"), new Claim("tenant_ids", "p1"), new Claim("tenant_ids", "p2"), new Claim("perms", "writer")], "jwt"));
        var context = new TokenValidatedContext(new Microsoft.AspNetCore.Http.DefaultHttpContext(), new("Bearer", null, typeof(JwtBearerHandler)), options)
        {
            Principal = principal,
        };

        options.Events.OnTokenValidated(context);

        Assert.Multiple(() =>
        {
            Assert.That(context.Principal!.Credential(), Is.EqualTo("ci-bot"));
            Assert.That(context.Principal.MayActOn("p2"), Is.True);
            Assert.That(context.Principal.MayActOn("p3"), Is.False);
            Assert.That(context.Principal.HighestRole(), Is.EqualTo(Role.Writer));
        });
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<TokenValidationResult> ValidateAsync(string keysFile, SigningCredentials credentials, SecurityKey[]? extraKeys = null)
    {
        var options = new JwtBearerOptions();
        JwtSetup.Configure(options, new AuthOptions { Jwt = { SigningKeysFile = keysFile, Issuer = "iss", Audience = "aud" } }, extraKeys ?? []);
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "iss",
            Audience = "aud",
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = credentials,
        });
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, options.TokenValidationParameters);
    }
}
