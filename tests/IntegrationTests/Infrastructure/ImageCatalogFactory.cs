using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using SdkSigningHandler = ImageCatalog.Client.SdkSigningHandler;

namespace ImageCatalog.IntegrationTests.Infrastructure;

/// <summary>
/// The real service (Program, its pipeline and its database) with a clock the tests move by hand;
/// <paramref name="configure"/> adds a test's own settings or services last.
/// </summary>
public sealed class ImageCatalogFactory(string connectionString, FakeTimeProvider clock, Action<IWebHostBuilder>? configure = null)
    : WebApplicationFactory<Program>
{
    /// <summary>The project that the project-bound test keys act on.</summary>
    public const string ProjectA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    /// <summary>Test access keys: each with the secret key "secret-" + its name.</summary>
    public static readonly (string AccessKey, string Project, string Role)[] AccessKeys =
    [
        ("OPERATOR-ALL", "*", "operator"),
        ("WRITER-ALL", "*", "writer"),
        ("READER-A", ProjectA, "reader"),
        ("WRITER-A", ProjectA, "writer"),
        ("NOROLE-A", ProjectA, "admin"),
    ];

    public static string SecretOf(string accessKey) => "secret-" + accessKey;

    public const string TokenIssuer = "https://issuer.imagecatalog.test";
    public const string TokenAudience = "imagecatalog-tests";

    /// <summary>The key the test token issuer signs with; its public half is the service's Auth:Jwt:SigningKeysFile.</summary>
    public static System.Security.Cryptography.RSA TokenKey { get; } = System.Security.Cryptography.RSA.Create(2048);

    /// <summary>The PEM file of <see cref="TokenKey"/>'s public half, for a service that should take the test tokens.</summary>
    public static readonly string TokenKeyFile = WriteTokenKeyFile();

    /// <summary>A token from the test issuer for <paramref name="projects"/> with <paramref name="roles"/>, valid for an hour of real time.</summary>
    public static string IssueToken(string[] projects, string[] roles) =>
        new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = TokenIssuer,
            Audience = TokenAudience,
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                new Microsoft.IdentityModel.Tokens.RsaSecurityKey(TokenKey), Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object> { ["sub"] = "tests", ["projects"] = projects, ["roles"] = roles },
        });

    private static string WriteTokenKeyFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"imagecatalog-test-token-key-{Environment.ProcessId}.pem");
        File.WriteAllText(path, TokenKey.ExportSubjectPublicKeyInfoPem());
        return path;
    }

    /// <summary>A client whose requests are signed with <paramref name="accessKey"/> at the fake clock's time.</summary>
    public HttpClient CreateSignedClient(string accessKey = "OPERATOR-ALL", Action<HttpRequestMessage>? afterSigning = null)
    {
        var signer = new SdkSigningHandler(accessKey, SecretOf(accessKey), clock.GetUtcNow);
        return afterSigning is null ? CreateDefaultClient(signer) : CreateDefaultClient(signer, new AfterSigning(afterSigning));
    }

    /// <summary>Changes a request after it was signed, to prove that the change is caught.</summary>
    private sealed class AfterSigning(Action<HttpRequestMessage> change) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            change(request);
            return base.SendAsync(request, cancellationToken);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Development turns on the container's scope and build-time validation.
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:ConnectionString", connectionString);
        // The property and concurrency tests send thousands of requests from one key; RateLimitTests sets its own limits.
        builder.UseSetting("RateLimit:PermitsPerSecond", "1000000");
        builder.UseSetting("RateLimit:Burst", "1000000");
        builder.UseSetting("Auth:Jwt:SigningKeysFile", TokenKeyFile);
        builder.UseSetting("Auth:Jwt:Issuer", TokenIssuer);
        builder.UseSetting("Auth:Jwt:Audience", TokenAudience);
        for (var i = 0; i < AccessKeys.Length; i++)
        {
            var (accessKey, project, role) = AccessKeys[i];
            builder.UseSetting($"Auth:AccessKeys:{i}:AccessKey", accessKey);
            builder.UseSetting($"Auth:AccessKeys:{i}:SecretKey", SecretOf(accessKey));
            builder.UseSetting($"Auth:AccessKeys:{i}:Projects:0", project);
            builder.UseSetting($"Auth:AccessKeys:{i}:Roles:0", role);
        }

        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        configure?.Invoke(builder);
    }
}
