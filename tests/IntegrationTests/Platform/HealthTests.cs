using System.Net;
using System.Text.Json;
using ImageCatalog.IntegrationTests.Infrastructure;

namespace ImageCatalog.IntegrationTests.Platform;

/// <summary>
/// Liveness never depends on the database; readiness follows it. A service instance of its own talks to PostgreSQL
/// through a relay that the test takes down and brings back.
/// </summary>
[NonParallelizable]
public sealed class HealthTests
{
    private ServiceBehindRelay _relayed = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _relayed = new ServiceBehindRelay(connection => connection.Timeout = 2);
        _client = _relayed.Service.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _relayed.DisposeAsync();
    }

    [TearDown]
    public void Restore() => _relayed.Relay.BringBack();

    [Test]
    public async Task Both_are_healthy_while_the_database_answers_and_need_no_credentials()
    {
        var live = await _client.GetAsync("/health/live");
        var ready = await _client.GetAsync("/health/ready");

        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.That(body.RootElement.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        Assert.That(body.RootElement.GetProperty("checks").GetProperty("database").GetString(), Is.EqualTo("Healthy"));
        Assert.That(ready.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
    }

    [Test]
    public async Task Readiness_fails_while_the_database_is_away_and_returns_with_it_while_liveness_stays_up()
    {
        Assert.That((await _client.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        _relayed.Relay.TakeDown();

        var ready = await _client.GetAsync("/health/ready");
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        using (var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()))
        {
            Assert.That(body.RootElement.GetProperty("checks").GetProperty("database").GetString(), Is.EqualTo("Unhealthy"));
            Assert.That(body.RootElement.GetProperty("checks").GetProperty("draining").GetString(), Is.EqualTo("Healthy"));
        }

        Assert.That((await _client.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        _relayed.Relay.BringBack();

        Assert.That(await ReadinessWithinAsync(TimeSpan.FromSeconds(15)), Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await _client.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    // A pooled connection cut while the database was away fails once when next used; readiness returns on a later probe.
    private async Task<HttpStatusCode> ReadinessWithinAsync(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var status = (await _client.GetAsync("/health/ready")).StatusCode;
            if (status == HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(200);
        }
    }
}
