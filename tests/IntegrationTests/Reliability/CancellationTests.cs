using Dapper;
using ImageCatalog.IntegrationTests.Infrastructure;
using Npgsql;

namespace ImageCatalog.IntegrationTests.Reliability;

/// <summary>
/// A client that goes away takes its query with it: PostgreSQL stops working for it (pg_stat_activity shows
/// no backend waiting any more), and a thousand such clients leave no connection behind.
/// </summary>
[NonParallelizable]
public sealed class CancellationTests : ApiTest
{
    private const string ApplicationName = "imagecatalog-cancellation-lock";

    [Test]
    public async Task A_disconnected_client_s_query_is_cancelled_in_postgresql()
    {
        await using var blocker = await HoldGroupsLockAsync();
        using var gone = new CancellationTokenSource();
        var request = Client.GetAsync($"/v1/{NewProjectId()}/images/group", gone.Token);

        Assert.That(await WaitingBackendsAsync(atLeast: 1), Is.EqualTo(1), "the request's query waits on the lock");
        await gone.CancelAsync();
        Assert.That(async () => await request, Throws.InstanceOf<OperationCanceledException>());

        // Within 2 s, well before the 5 s statement_timeout could end the wait by itself.
        Assert.That(await WaitingBackendsAsync(atLeast: 0, atMost: 0, within: TimeSpan.FromSeconds(2)), Is.Zero, "the query was cancelled, not left waiting for the lock");
    }

    [Test]
    public async Task A_thousand_cancelled_requests_leave_the_pool_as_they_found_it()
    {
        await using (var blocker = await HoldGroupsLockAsync())
        {
            for (var i = 0; i < 1000; i++)
            {
                using var gone = new CancellationTokenSource(TimeSpan.FromMilliseconds(5));
                try
                {
                    await Client.GetAsync($"/v1/{NewProjectId()}/images/group", gone.Token);
                }
                catch (OperationCanceledException)
                {
                    // Expected: the lock holds every query until the client gives up.
                }
            }
        }

        Assert.That(await WaitingBackendsAsync(atLeast: 0, atMost: 0), Is.Zero);
        // Twice the pool at once: a leaked connection would leave some of them waiting for one until they time out.
        var after = await Task.WhenAll(Enumerable.Range(0, 2 * ImageCatalog.Infrastructure.Persistence.DatabaseOptions.DefaultMaxPoolSize)
            .Select(_ => Client.GetAsync($"/v1/{NewProjectId()}/images/group")));
        Assert.That(after.Select(response => response.StatusCode), Has.All.EqualTo(System.Net.HttpStatusCode.OK), "the pool still has every connection to give");
    }

    /// <summary>An open transaction that keeps every reader of image_groups waiting.</summary>
    private static async Task<NpgsqlConnection> HoldGroupsLockAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(TestEnvironment.Database.ConnectionString) { ApplicationName = ApplicationName, Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync("BEGIN; LOCK TABLE image_groups IN ACCESS EXCLUSIVE MODE;");
        return connection;
    }

    /// <summary>Backends waiting on a lock, polled until the count is in range or <paramref name="within"/> (5 s) passes.</summary>
    private static async Task<long> WaitingBackendsAsync(int atLeast, int atMost = int.MaxValue, TimeSpan? within = null)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.Database.ConnectionString);
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            var waiting = await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
            if ((waiting >= atLeast && waiting <= atMost) || DateTime.UtcNow > deadline)
            {
                return waiting;
            }

            await Task.Delay(50);
        }
    }
}
