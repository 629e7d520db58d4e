using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace ImageCatalog.Bench;

/// <summary>
/// What else happened while an open loop ran: the service's garbage collections and their pause time (its
/// <c>/metrics</c>), the load generator's own GC pause time, PostgreSQL's checkpoints and the buffers they wrote,
/// the seconds in which an autovacuum worker was seen, and the slowest second of the timeline with the generator's GC
/// pause time in that second.
/// </summary>
public sealed record WindowConditions(
    long ServiceGen0, long ServiceGen1, long ServiceGen2, double ServicePauseMs, double GeneratorPauseMs,
    long Checkpoints, long CheckpointBuffers, int AutovacuumSeconds, int SampledSeconds, int SlowestSecond, double SlowestSecondMaxMs,
    double? SlowestSecondGeneratorPauseMs);

/// <summary>Observes one window: <see cref="StartAsync"/> before the open loop, <see cref="StopAsync"/> after it.</summary>
public sealed partial class WindowObserver
{
    private readonly HttpClient _http;
    private readonly string _serviceUrl;
    private readonly NpgsqlDataSource _database;
    private readonly CancellationTokenSource _stopSampling = new();
    private Counters _before = null!;
    private Task<List<Second>> _seconds = null!;

    private WindowObserver(HttpClient http, string serviceUrl, NpgsqlDataSource database)
    {
        _http = http;
        _serviceUrl = serviceUrl;
        _database = database;
    }

    public static async Task<WindowObserver> StartAsync(HttpClient http, string serviceUrl, NpgsqlDataSource database)
    {
        var observer = new WindowObserver(http, serviceUrl, database);
        observer._before = await observer.ReadAsync();
        observer._seconds = SampleSecondsAsync(database, observer._stopSampling.Token);
        return observer;
    }

    /// <summary>Stops sampling; <paramref name="timeline"/> is the open loop's latencies in schedule order at <paramref name="ratePerSecond"/>.</summary>
    public async Task<WindowConditions> StopAsync(double[] timeline, double ratePerSecond)
    {
        await _stopSampling.CancelAsync();
        var seconds = await _seconds;
        _stopSampling.Dispose();
        var after = await ReadAsync();
        var slowest = timeline
            .Select((latency, index) => (Second: (int)(index / ratePerSecond), Latency: latency))
            .GroupBy(sample => sample.Second)
            .Select(second => (second.Key, Max: second.Max(sample => sample.Latency)))
            .DefaultIfEmpty()
            .MaxBy(second => second.Max);
        return new WindowConditions(
            after.Gen0 - _before.Gen0, after.Gen1 - _before.Gen1, after.Gen2 - _before.Gen2,
            after.ServicePauseMs - _before.ServicePauseMs, after.GeneratorPauseMs - _before.GeneratorPauseMs,
            after.Checkpoints - _before.Checkpoints, after.CheckpointBuffers - _before.CheckpointBuffers,
            seconds.Count(second => second.Autovacuum), seconds.Count, slowest.Key, slowest.Max,
            GeneratorPauseIn(slowest.Key, seconds, after.GeneratorPauseMs));
    }

    // Second k runs from sample k to sample k + 1; the last one ends at the counters read after the window. Null when
    // the sampler saw less of the window than the timeline (a window shorter than a second).
    private static double? GeneratorPauseIn(int second, List<Second> seconds, double pauseAtEnd) =>
        second < seconds.Count
            ? (second + 1 < seconds.Count ? seconds[second + 1].GeneratorPauseMs : pauseAtEnd) - seconds[second].GeneratorPauseMs
            : null;

    private async Task<Counters> ReadAsync()
    {
        var metrics = await _http.GetStringAsync(_serviceUrl + "/metrics");
        double Sum(Regex pattern) => pattern.Matches(metrics).Sum(match => double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
        await using var command = _database.CreateCommand("SELECT checkpoints_timed + checkpoints_req, buffers_checkpoint FROM pg_stat_bgwriter");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Counters(
            (long)Sum(CollectionsOf("gen0")), (long)Sum(CollectionsOf("gen1")), (long)Sum(CollectionsOf("gen2")),
            Sum(PauseSeconds()) * 1000, GC.GetTotalPauseDuration().TotalMilliseconds, reader.GetInt64(0), reader.GetInt64(1));
    }

    // Once a second: whether an autovacuum worker runs, and the generator's GC pause time so far.
    private static async Task<List<Second>> SampleSecondsAsync(NpgsqlDataSource database, CancellationToken stop)
    {
        var seconds = new List<Second>();
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'", connection);
        while (!stop.IsCancellationRequested)
        {
            var pause = GC.GetTotalPauseDuration().TotalMilliseconds;
            seconds.Add(new Second((long)(await command.ExecuteScalarAsync(CancellationToken.None))! > 0, pause));
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return seconds;
    }

    private static Regex CollectionsOf(string generation) =>
        new($"^dotnet_gc_collections_total\\{{[^}}]*gc_heap_generation=\"{generation}\"[^}}]*\\}} ([0-9.eE+-]+)", RegexOptions.Multiline);

    [GeneratedRegex("^dotnet_gc_pause_time_seconds_total(?:\\{[^}]*\\})? ([0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex PauseSeconds();

    private sealed record Second(bool Autovacuum, double GeneratorPauseMs);

    private sealed record Counters(long Gen0, long Gen1, long Gen2, double ServicePauseMs, double GeneratorPauseMs, long Checkpoints, long CheckpointBuffers);
}
