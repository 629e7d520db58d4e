using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using ImageCatalog.IntegrationTests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ImageCatalog.IntegrationTests.Authentication;

/// <summary>Tokens: X-Auth-Token or Authorization: Bearer, checked by the JwtBearer stack against the configured key.</summary>
public sealed class TokenTests : ApiTest
{
    private const string Project = ImageCatalogFactory.ProjectA;

    private static string Token(
        string[]? projects = null,
        string[]? roles = null,
        string issuer = ImageCatalogFactory.TokenIssuer,
        string audience = ImageCatalogFactory.TokenAudience,
        DateTime? notBefore = null,
        DateTime? expires = null,
        SigningCredentials? credentials = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = (notBefore ?? now).AddMinutes(-1),
            NotBefore = notBefore ?? now.AddMinutes(-1),
            Expires = expires ?? now.AddMinutes(30),
            SigningCredentials = credentials ?? new SigningCredentials(new RsaSecurityKey(ImageCatalogFactory.TokenKey), SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "team-vision",
                ["projects"] = projects ?? [Project],
                ["roles"] = roles ?? ["writer"],
            },
        });
    }

    private static async Task<HttpResponseMessage> GetWithTokenAsync(string token, string path = $"/v1/{Project}/images/group", bool bearer = false)
    {
        using var client = TestEnvironment.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else
        {
            request.Headers.Add("X-Auth-Token", token);
        }

        return await client.SendAsync(request);
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_valid_token_is_accepted_in_either_header(bool bearer)
    {
        using var response = await GetWithTokenAsync(Token(), bearer: bearer);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task The_tokens_roles_are_enforced()
    {
        using var client = TestEnvironment.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Auth-Token", Token(roles: ["reader"]));

        using var write = await client.PostAsJsonAsync($"/v1/{Project}/images", new { swr_path = "swr.example.com/team/app:1" }, Wire.Json);

        await AssertErrorAsync(write, HttpStatusCode.Forbidden, "ModelArts.0108");
    }

    [Test]
    public async Task A_token_for_project_A_gets_403_0210_on_project_B()
    {
        using var response = await GetWithTokenAsync(Token(), $"/v1/{Project.Replace('a', 'b')}/images/group");

        await AssertErrorAsync(response, HttpStatusCode.Forbidden, "ModelArts.0210");
    }

    [Test]
    public async Task An_expired_token_is_a_401_0202()
    {
        var past = DateTime.UtcNow.AddHours(-2);

        using var response = await GetWithTokenAsync(Token(notBefore: past, expires: past.AddMinutes(30)));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "ModelArts.0202");
    }

    [Test]
    public async Task A_repeated_token_keeps_its_projects_and_roles()
    {
        var token = Token(roles: ["reader"]);
        using var client = TestEnvironment.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Auth-Token", token);

        // The second and later calls are answered from the validated-token cache.
        using var first = await client.GetAsync($"/v1/{Project}/images/group");
        using var second = await client.GetAsync($"/v1/{Project}/images/group");
        using var otherProject = await client.GetAsync($"/v1/{Project.Replace('a', 'b')}/images/group");
        using var write = await client.PostAsJsonAsync($"/v1/{Project}/images", new { swr_path = "swr.example.com/team/app:1" }, Wire.Json);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertErrorAsync(otherProject, HttpStatusCode.Forbidden, "ModelArts.0210");
        await AssertErrorAsync(write, HttpStatusCode.Forbidden, "ModelArts.0108");
    }

    [Test]
    public async Task A_token_changed_after_it_was_accepted_is_refused()
    {
        var token = Token();
        using var accepted = await GetWithTokenAsync(token);

        using var changed = await GetWithTokenAsync(token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA"));

        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertErrorAsync(changed, HttpStatusCode.Unauthorized, "ModelArts.0203");
    }

    public static IEnumerable<TestCaseData> InvalidTokens()
    {
        yield return new TestCaseData(Token(issuer: "https://someone.else")).SetName("wrong issuer");
        yield return new TestCaseData(Token(audience: "another-service")).SetName("wrong audience");
        yield return new TestCaseData(Token(notBefore: DateTime.UtcNow.AddHours(1), expires: DateTime.UtcNow.AddHours(2))).SetName("not yet valid");
        yield return new TestCaseData(Token(credentials: new SigningCredentials(new RsaSecurityKey(RSA.Create(2048)), SecurityAlgorithms.RsaSha256))).SetName("signed by another key");
        yield return new TestCaseData(Token(credentials: new SigningCredentials(
            new SymmetricSecurityKey(Encoding.UTF8.GetBytes(ImageCatalogFactory.TokenKey.ExportSubjectPublicKeyInfoPem())), SecurityAlgorithms.HmacSha256))).SetName("HS256 keyed with the public key");
        yield return new TestCaseData(Unsigned()).SetName("alg none");
        yield return new TestCaseData("not.a.token").SetName("garbage");
        yield return new TestCaseData(Token()[..^4] + "AAAA").SetName("signature changed");
    }

    [TestCaseSource(nameof(InvalidTokens))]
    public async Task An_invalid_token_is_a_401_0203(string token)
    {
        using var response = await GetWithTokenAsync(token);

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "ModelArts.0203");
        Assert.That(response.Headers.WwwAuthenticate.Select(value => value.Scheme), Does.Contain("Bearer"));
    }

    private static string Unsigned()
    {
        static string Part(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return Part("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
            + Part($"{{\"iss\":\"{ImageCatalogFactory.TokenIssuer}\",\"aud\":\"{ImageCatalogFactory.TokenAudience}\",\"exp\":{now + 600},\"nbf\":{now - 60},\"projects\":[\"{Project}\"],\"roles\":[\"operator\"]}}")
            + ".";
    }
}
