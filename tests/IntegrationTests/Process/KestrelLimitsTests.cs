using System.Net;
using System.Text;
using ImageCatalog.IntegrationTests.Infrastructure;

namespace ImageCatalog.IntegrationTests.Process;

/// <summary>Behaviour that only the real server has (the in-memory test server enforces no body size).</summary>
public sealed class KestrelLimitsTests
{
    [Test]
    public async Task A_register_body_larger_than_64_KiB_is_a_413_with_the_error_body()
    {
        var environment = new Dictionary<string, string>
        {
            ["Database__ConnectionString"] = TestEnvironment.Database.ConnectionString,
            ["Database__MigrateOnStartup"] = "false",
            ["Auth__AccessKeys__0__AccessKey"] = "KESTREL-WRITER",
            ["Auth__AccessKeys__0__SecretKey"] = "kestrel-secret",
            ["Auth__AccessKeys__0__Projects__0"] = "*",
            ["Auth__AccessKeys__0__Roles__0"] = "writer",
        };
        await using var service = ServiceProcess.Start(environment);
        using var client = new HttpClient(new SdkRequestSigner("KESTREL-WRITER", "kestrel-secret", () => DateTimeOffset.UtcNow)
        {
            InnerHandler = new HttpClientHandler(),
        })
        {
            BaseAddress = service.BaseAddress,
        };
        await service.WaitUntilServingAsync(client, "/openapi/v1.json", TimeSpan.FromMinutes(1));
        var body = $"{{\"swr_path\": \"swr.example.com/team/app:1\", \"description\": \"{new string('x', 70_000)}\"}}";

        using var response = await client.PostAsync("/v1/p/images", new StringContent(body, Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(text, Does.Contain("\"error_code\":\"ModelArts.6413\""));
    }
}
