using System.Net;
using ImageCatalog.IntegrationTests.Infrastructure;
using SdkSigningHandler = ImageCatalog.Client.SdkSigningHandler;

namespace ImageCatalog.IntegrationTests.Process;

/// <summary>On SIGTERM readiness turns 503 first while requests are still served, then the process exits cleanly.</summary>
public sealed class GracefulShutdownTests
{
    private const string AccessKey = "SHUTDOWN-READER";
    private const string SecretKey = "shutdown-secret";

    [Test]
    public async Task Readiness_fails_first_requests_are_still_served_then_the_process_exits_zero()
    {
        await using var service = ServiceProcess.Start(new Dictionary<string, string>
        {
            ["Database__ConnectionString"] = TestEnvironment.Database.ConnectionString,
            ["Database__MigrateOnStartup"] = "false",
            ["Auth__AccessKeys__0__AccessKey"] = AccessKey,
            ["Auth__AccessKeys__0__SecretKey"] = SecretKey,
            ["Auth__AccessKeys__0__Projects__0"] = "*",
            ["Auth__AccessKeys__0__Roles__0"] = "reader",
            ["Shutdown__DrainDelay"] = "00:00:04",
            ["Shutdown__Timeout"] = "00:00:05",
        });
        using var signed = new HttpClient(new SdkSigningHandler(AccessKey, SecretKey, () => DateTimeOffset.UtcNow) { InnerHandler = new HttpClientHandler() })
        {
            BaseAddress = service.BaseAddress,
        };
        await service.WaitUntilServingAsync(signed, "/health/ready", TimeSpan.FromMinutes(1));

        await service.SignalTerminateAsync();

        Assert.That(await ReadinessAfterSignalAsync(signed), Is.EqualTo(HttpStatusCode.ServiceUnavailable), service.Output);
        var during = await signed.GetAsync($"/v1/{ImageCatalogFactory.ProjectA}/images/group?limit=1");
        Assert.That(during.StatusCode, Is.EqualTo(HttpStatusCode.OK), "still served while draining");
        Assert.That((await signed.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await service.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.Zero, service.Output);
        Assert.That(service.Output, Does.Contain("Draining"));
    }

    private static async Task<HttpStatusCode> ReadinessAfterSignalAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        while (true)
        {
            var status = (await client.GetAsync("/health/ready")).StatusCode;
            if (status != HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(50);
        }
    }
}
