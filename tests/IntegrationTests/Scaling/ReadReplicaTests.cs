using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using ImageCatalog.Application.Common;
using ImageCatalog.Infrastructure.Persistence;
using ImageCatalog.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ImageCatalog.IntegrationTests.Scaling;

/// <summary>
/// A real primary and a real streaming replica (<c>pg_basebackup -R</c>) of their own, and a service whose queries read
/// from <c>Database:ReadConnectionString</c> (the standby first, the primary as the fallback) while its commands write to
/// the primary. Replay on the standby is paused where a test needs to tell the two apart.
/// </summary>
[NonParallelizable]
public sealed class ReadReplicaTests
{
    private OwnPostgresCluster _primary = null!;
    private PostgresCluster _standby = null!;
    private string _standbyFolder = null!;
    private ImageCatalogFactory _service = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _primary = await OwnPostgresCluster.StartAsync(durable: false);
        _standbyFolder = Path.Combine(Path.GetTempPath(), "imagecatalog-standby-" + Guid.NewGuid().ToString("N"));
        _standby = await _primary.Cluster.CreateStandbyAsync(_standbyFolder, CancellationToken.None);
        await _standby.StartAsync(CancellationToken.None);
        var reads = new NpgsqlConnectionStringBuilder(_primary.ConnectionString)
        {
            Host = $"127.0.0.1:{_standby.Port},127.0.0.1:{_primary.Cluster.Port}",
            TargetSessionAttributes = "prefer-standby",
            LoadBalanceHosts = true,
        };
        _service = new ImageCatalogFactory(
            _primary.ConnectionString,
            TestEnvironment.Clock,
            builder => builder.UseSetting("Database:ReadConnectionString", reads.ConnectionString));
        _client = _service.CreateSignedClient();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
        if (await _standby.IsRunningAsync(CancellationToken.None))
        {
            await _standby.StopAsync(CancellationToken.None);
        }

        if (Directory.Exists(_standbyFolder))
        {
            Directory.Delete(_standbyFolder, recursive: true);
        }

        await _primary.DisposeAsync();
    }

    [Test]
    [Order(1)]
    public async Task Eventual_reads_open_sessions_on_the_standby_and_strong_reads_and_commands_on_the_primary()
    {
        var connections = _service.Services.GetRequiredService<QueryConnections>();
        var commands = _service.Services.GetRequiredService<NpgsqlDataSource>();

        Assert.Multiple(async () =>
        {
            Assert.That(await InRecoveryAsync(await connections.OpenAsync(ReadConsistency.Eventual, CancellationToken.None)), Is.True);
            Assert.That(await InRecoveryAsync(await connections.OpenAsync(ReadConsistency.Strong, CancellationToken.None)), Is.False);
            Assert.That(await InRecoveryAsync(await commands.OpenConnectionAsync()), Is.False);
        });
    }

    [Test]
    [Order(2)]
    public async Task While_the_standby_lags_a_write_is_on_the_primary_and_only_strong_reads_see_it()
    {
        var project = Guid.NewGuid().ToString("N");
        await PauseReplayAsync();
        try
        {
            using var register = await _client.PostAsJsonAsync(
                $"/v1/{project}/images", new { swr_path = "swr.example.com/team/lagging:1" }, Wire.Json);
            Assert.That(register.StatusCode, Is.EqualTo(HttpStatusCode.Created), await register.Content.ReadAsStringAsync());
            var image = (await register.Content.ReadFromJsonAsync<Image>(Wire.Json))!;

            Assert.Multiple(async () =>
            {
                Assert.That(await CountOnAsync(_primary.ConnectionString, image.Id), Is.EqualTo(1), "written on the primary");
                Assert.That(await CountOnAsync(_standby.ConnectionString("imagecatalog"), image.Id), Is.Zero, "not replayed yet");

                Assert.That((await GetAsync<GroupPage>($"/v1/{project}/images/group", null)).Total, Is.Zero);
                Assert.That((await GetAsync<GroupPage>($"/v1/{project}/images/group", "STRONG")).Total, Is.EqualTo(1));
                Assert.That((await GetAsync<ImagePage>($"/v1/{project}/images", "eventual")).Total, Is.Zero);
                Assert.That((await GetAsync<ImagePage>($"/v1/{project}/images", "strong")).Total, Is.EqualTo(1));

                using var eventualShow = await Send($"/v1/{project}/images/{image.Id}", null);
                Assert.That(eventualShow.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
                using var strongShow = await Send($"/v1/{project}/images/{image.Id}", "STRONG");
                Assert.That(strongShow.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            });
        }
        finally
        {
            await ResumeReplayAsync();
        }
    }

    [Test]
    [Order(3)]
    public async Task After_catch_up_every_read_on_the_replica_answers_what_the_primary_answers()
    {
        var project = Guid.NewGuid().ToString("N");
        var workspace2 = Guid.NewGuid().ToString("N");
        foreach (var (path, workspace) in new[]
        {
            ("swr.example.com/team-a/alpha:1", "0"), ("swr.example.com/team-a/alpha:2", "0"), ("swr.example.com/team-b/alpha:1", "0"),
            ("swr.example.com/team-a/beta:1", "0"), ("swr.example.com/team-b/gamma:7", "0"), ("swr.example.com/team-a/beta:1", workspace2),
        })
        {
            TestEnvironment.Clock.Advance(TimeSpan.FromSeconds(1));
            using var register = await _client.PostAsJsonAsync(
                $"/v1/{project}/images", new { swr_path = path, workspace_id = workspace }, Wire.Json);
            Assert.That(register.StatusCode, Is.EqualTo(HttpStatusCode.Created), await register.Content.ReadAsStringAsync());
        }

        await WaitForReplayAsync();

        foreach (var query in new[]
        {
            "images/group", "images/group?limit=2&offset=1", "images/group?namespace=team-a", "images/group?name=alp",
            "images/group?name=beta&name_fuzzy_match=false", $"images/group?workspace_id={workspace2}", "images",
            "images?sort_key=name&sort_dir=ASC", "images?name=ga",
        })
        {
            var eventual = await ReadBodyAsync($"/v1/{project}/{query}", null);
            var strong = await ReadBodyAsync($"/v1/{project}/{query}", "STRONG");
            Assert.That(eventual, Is.EqualTo(strong), query);
            Assert.That(eventual, Does.Contain("\"total\":"), query);
        }
    }

    [Test]
    [Order(4)]
    public async Task When_the_replica_stops_reads_fall_back_to_the_primary_without_errors()
    {
        var project = Guid.NewGuid().ToString("N");
        using (var register = await _client.PostAsJsonAsync(
            $"/v1/{project}/images", new { swr_path = "swr.example.com/team/fallback:1" }, Wire.Json))
        {
            Assert.That(register.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        await WaitForReplayAsync();
        // Fill the replica pool with idle sessions, which the stop below breaks.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => ReadBodyAsync($"/v1/{project}/images/group", null)));

        await _standby.StopAsync(CancellationToken.None);
        var statuses = new List<HttpStatusCode>();
        for (var round = 0; round < 5; round++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Send($"/v1/{project}/images/group", null)));
            foreach (var response in responses)
            {
                statuses.Add(response.StatusCode);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Assert.That((await response.Content.ReadFromJsonAsync<GroupPage>(Wire.Json))!.Total, Is.EqualTo(1));
                }

                response.Dispose();
            }
        }

        var connections = _service.Services.GetRequiredService<QueryConnections>();
        Assert.Multiple(async () =>
        {
            Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(await InRecoveryAsync(await connections.OpenAsync(ReadConsistency.Eventual, CancellationToken.None)), Is.False,
                "eventual reads now open sessions on the primary");
        });
    }

    private async Task<HttpResponseMessage> Send(string path, string? consistency)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (consistency is not null)
        {
            request.Headers.Add("X-Read-Consistency", consistency);
        }

        return await _client.SendAsync(request);
    }

    private async Task<string> ReadBodyAsync(string path, string? consistency)
    {
        using var response = await Send(path, consistency);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return body;
    }

    private async Task<T> GetAsync<T>(string path, string? consistency) =>
        System.Text.Json.JsonSerializer.Deserialize<T>(await ReadBodyAsync(path, consistency), Wire.Json)!;

    private static async Task<bool> InRecoveryAsync(NpgsqlConnection connection)
    {
        await using (connection)
        {
            return await connection.ExecuteScalarAsync<bool>("SELECT pg_is_in_recovery()");
        }
    }

    private static async Task<long> CountOnAsync(string connectionString, Guid id)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM images WHERE id = @id", new { id });
    }

    private async Task PauseReplayAsync()
    {
        await using var standby = new NpgsqlConnection(_standby.ConnectionString("imagecatalog"));
        await standby.ExecuteAsync("SELECT pg_wal_replay_pause()");
        var clock = Stopwatch.StartNew();
        while (await standby.ExecuteScalarAsync<string>("SELECT pg_get_wal_replay_pause_state()") != "paused")
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), "replay did not pause");
            await Task.Delay(20);
        }
    }

    private async Task ResumeReplayAsync()
    {
        await using var standby = new NpgsqlConnection(_standby.ConnectionString("imagecatalog"));
        await standby.ExecuteAsync("SELECT pg_wal_replay_resume()");
    }

    private async Task WaitForReplayAsync() =>
        await PostgresCluster.WaitForReplayAsync(
            _primary.ConnectionString, _standby.ConnectionString("imagecatalog"), TimeSpan.FromSeconds(30), CancellationToken.None);
}
