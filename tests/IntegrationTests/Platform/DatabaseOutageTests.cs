using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using ImageCatalog.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ImageCatalog.IntegrationTests.Platform;

/// <summary>
/// PostgreSQL goes away under a service instance of its own (a relay the test cuts): answers are 503 with the
/// contract's body and Retry-After, quickly, nothing is written, and the service serves again when it returns.
/// </summary>
[NonParallelizable]
public sealed class DatabaseOutageTests
{
    private ServiceBehindRelay _relayed = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _relayed = new ServiceBehindRelay();
        _client = _relayed.Service.CreateSignedClient();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _relayed.DisposeAsync();
    }

    [SetUp]
    public async Task StartFromEmptyDatabaseAsync() => await TestEnvironment.ResetDatabaseAsync();

    [TearDown]
    public void Restore() => _relayed.Relay.BringBack();

    [Test]
    public async Task Reads_and_writes_answer_503_with_retry_after_quickly_and_nothing_is_written()
    {
        Assert.That((await _client.GetAsync(GroupsPath)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "pooled connections exist before the cut");

        _relayed.Relay.TakeDown();
        var clock = Stopwatch.StartNew();
        using var read = await _client.GetAsync(GroupsPath);
        using var write = await _client.PostAsync($"/v1/{ImageCatalogFactory.ProjectA}/images", RegisterBody("outage"));
        clock.Stop();

        foreach (var response in new[] { read, write })
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.That(body.RootElement.GetProperty("error_code").GetString(), Is.EqualTo("ModelArts.6503"));
            Assert.That(body.RootElement.GetProperty("error_msg").GetString(), Does.Not.Contain("Npgsql").And.Not.Contain("SELECT"));
        }

        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "no request waits for a timeout that long");
        _relayed.Relay.BringBack();
        Assert.That(await ImagesCalledAsync("outage"), Is.Zero, "the refused write left nothing behind");
    }

    [Test]
    public async Task The_first_read_after_the_database_returns_succeeds_on_a_fresh_connection()
    {
        Assert.That((await _client.GetAsync(GroupsPath)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        _relayed.Relay.TakeDown();
        _relayed.Relay.BringBack();

        // The pooled connection was cut; the read meets that once, and is retried on a new connection.
        using var read = await _client.GetAsync(GroupsPath);

        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_write_that_meets_a_cut_connection_is_not_repeated_by_the_service()
    {
        Assert.That((await _client.GetAsync(GroupsPath)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        _relayed.Relay.TakeDown();
        _relayed.Relay.BringBack();

        using var first = await _client.PostAsync($"/v1/{ImageCatalogFactory.ProjectA}/images", RegisterBody("once"));
        using var again = await _client.PostAsync($"/v1/{ImageCatalogFactory.ProjectA}/images", RegisterBody("once"));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "the service does not retry a write itself");
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Created), "the client's own retry goes through");
        Assert.That(await ImagesCalledAsync("once"), Is.EqualTo(1));
    }

    [Test]
    public async Task Within_five_seconds_of_the_database_returning_writes_succeed_again()
    {
        _relayed.Relay.TakeDown();
        Assert.That((await _client.GetAsync(GroupsPath)).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));

        _relayed.Relay.BringBack();
        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        var attempt = 0;
        do
        {
            using var write = await _client.PostAsync($"/v1/{ImageCatalogFactory.ProjectA}/images", RegisterBody($"back-{attempt++}"));
            status = write.StatusCode;
        }
        while (status != HttpStatusCode.Created && clock.Elapsed < TimeSpan.FromSeconds(5));

        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), $"after {clock.Elapsed}");
    }

    [Test]
    public async Task The_service_s_sessions_carry_a_statement_timeout_and_a_command_timeout()
    {
        var dataSource = _relayed.Service.Services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync();

        var statementTimeout = await connection.ExecuteScalarAsync<string>("SHOW statement_timeout");

        Assert.That(statementTimeout, Is.EqualTo("5s"));
        Assert.That(new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).CommandTimeout, Is.EqualTo(10));
    }

    private static string GroupsPath => $"/v1/{ImageCatalogFactory.ProjectA}/images/group?limit=5";

    private static StringContent RegisterBody(string tag) =>
        new($"{{\"swr_path\": \"swr.example.com/team-a/{tag}:1\"}}", Encoding.UTF8, "application/json");

    private static async Task<long> ImagesCalledAsync(string name)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.Database.ConnectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM images WHERE name = @name", new { name });
    }
}
