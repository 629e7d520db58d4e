using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace ImageCatalog.IntegrationTests.Infrastructure;

/// <summary>The real service (Program, its pipeline and its database) with a clock the tests move by hand.</summary>
public sealed class ImageCatalogFactory(string connectionString, FakeTimeProvider clock) : WebApplicationFactory<Program>
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

    /// <summary>A client whose requests are signed with <paramref name="accessKey"/> at the fake clock's time.</summary>
    public HttpClient CreateSignedClient(string accessKey = "OPERATOR-ALL", Action<HttpRequestMessage>? afterSigning = null) =>
        CreateDefaultClient(new SdkRequestSigner(accessKey, SecretOf(accessKey), clock.GetUtcNow) { AfterSigning = afterSigning });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Development turns on the container's scope and build-time validation.
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:ConnectionString", connectionString);
        for (var i = 0; i < AccessKeys.Length; i++)
        {
            var (accessKey, project, role) = AccessKeys[i];
            builder.UseSetting($"Auth:AccessKeys:{i}:AccessKey", accessKey);
            builder.UseSetting($"Auth:AccessKeys:{i}:SecretKey", SecretOf(accessKey));
            builder.UseSetting($"Auth:AccessKeys:{i}:Projects:0", project);
            builder.UseSetting($"Auth:AccessKeys:{i}:Roles:0", role);
        }

        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
    }
}
