using System.Globalization;
using Npgsql;

namespace ImageCatalog.Bench;

/// <summary>
/// What else happened while an open loop ran: the service's garbage collections and their pause time (its
/// <c>/metrics</c>), the load generator's own GC pause time, PostgreSQL's checkpoints and the buffers they wrote,
/// the seconds in which an autovacuum worker was seen, and the slowest second of the timeline with the generator's GC
/// pause time and its largest dispatch lag in that second. To tell where a stall sits, how many samples of 50 ms or more
/// the service's /metrics saw in the window at three depths (<see cref="SlowSamples"/>), and the machine's TCP
/// retransmissions and retransmission timeouts in the window (loopback included).
/// </summary>
public sealed record WindowConditions(
    long ServiceGen0, long ServiceGen1, long ServiceGen2, double ServicePauseMs, double GeneratorPauseMs,
    long Checkpoints, long CheckpointBuffers, int AutovacuumSeconds, int SampledSeconds, int SlowestSecond, double SlowestSecondMaxMs,
    double? SlowestSecondGeneratorPauseMs, double? SlowestSecondDispatchLagMs = null, SlowSamples? Slow = null,
    long? TcpRetransmissions = null, long? TcpTimeouts = null, double? DispatchLagP50Ms = null, double? DispatchLagP99Ms = null);

/// <summary>
/// Samples of 50 ms or more in the service's own histograms: group requests as ASP.NET Core times them (from the parsed
/// request to the response's end), the query in the mediator's pipeline (validation, connection wait and handler), and
/// Npgsql's commands (sent to answered).
/// </summary>
public sealed record SlowSamples(long Http, long Mediator, long Database)
{
    public static SlowSamples operator -(SlowSamples after, SlowSamples before) =>
        new(after.Http - before.Http, after.Mediator - before.Mediator, after.Database - before.Database);
}

/// <summary>Observes one window: <see cref="StartAsync"/> before the open loop, <see cref="StopAsync"/> after it.</summary>
public sealed class WindowObserver
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

    /// <summary>Stops sampling; <paramref name="window"/> is the open loop that ran at <paramref name="ratePerSecond"/>.</summary>
    public async Task<WindowConditions> StopAsync(OpenLoopResult window, double ratePerSecond)
    {
        var timeline = window.Timeline;
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
            GeneratorPauseIn(slowest.Key, seconds, after.GeneratorPauseMs),
            window.DispatchLag.Where((_, index) => (int)(index / ratePerSecond) == slowest.Key).DefaultIfEmpty().Max(),
            after.Slow - _before.Slow,
            after.Tcp.Retransmissions - _before.Tcp.Retransmissions, after.Tcp.Timeouts - _before.Tcp.Timeouts,
            window.DispatchLag.Length == 0 ? null : window.DispatchLagP50,
            window.DispatchLag.Length == 0 ? null : window.DispatchLagP99);
    }

    // Second k runs from sample k to sample k + 1; the last one ends at the counters read after the window. Null when
    // the sampler saw less of the window than the timeline (a window shorter than a second).
    private static double? GeneratorPauseIn(int second, List<Second> seconds, double pauseAtEnd) =>
        second < seconds.Count
            ? (second + 1 < seconds.Count ? seconds[second + 1].GeneratorPauseMs : pauseAtEnd) - seconds[second].GeneratorPauseMs
            : null;

    private async Task<Counters> ReadAsync()
    {
        var metrics = await ServiceMetrics.ReadAsync(_http, _serviceUrl);
        long Collections(string generation) =>
            (long)ServiceMetrics.Sum(metrics, "dotnet_gc_collections_total", $"gc_heap_generation=\"{generation}\"");
        await using var command = _database.CreateCommand("SELECT checkpoints_timed + checkpoints_req, buffers_checkpoint FROM pg_stat_bgwriter");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Counters(
            Collections("gen0"), Collections("gen1"), Collections("gen2"),
            ServiceMetrics.Sum(metrics, "dotnet_gc_pause_time_seconds_total") * 1000, GC.GetTotalPauseDuration().TotalMilliseconds, reader.GetInt64(0), reader.GetInt64(1),
            new SlowSamples(
                SlowerThan50Ms(metrics, "http_server_request_duration_seconds", "http_route=\"v1/{project_id}/images/group\""),
                SlowerThan50Ms(metrics, "imagecatalog_mediator_message_duration_seconds", "message=\"GetImageGroupsQuery\""),
                SlowerThan50Ms(metrics, "db_client_operation_duration_seconds", "db_system_name=\"postgresql\"")),
            await TcpCounters.ReadAsync());
    }

    // A histogram's samples above its 50 ms bound, over the label sets that contain labelFilter (all three have that bound).
    private static long SlowerThan50Ms(string metrics, string histogram, string labelFilter) =>
        (long)(ServiceMetrics.Sum(metrics, histogram + "_count", labelFilter)
            - ServiceMetrics.Sum(metrics, histogram + "_bucket", labelFilter, "le=\"0.05\""));

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

    private sealed record Second(bool Autovacuum, double GeneratorPauseMs);

    private sealed record Counters(
        long Gen0, long Gen1, long Gen2, double ServicePauseMs, double GeneratorPauseMs, long Checkpoints, long CheckpointBuffers,
        SlowSamples Slow, TcpCounters Tcp);

    /// <summary>The machine's TCP segments retransmitted and retransmission timeouts so far (/proc/net/snmp, /proc/net/netstat).</summary>
    private sealed record TcpCounters(long Retransmissions, long Timeouts)
    {
        public static async Task<TcpCounters> ReadAsync() => new(
            Field(await File.ReadAllLinesAsync("/proc/net/snmp"), "Tcp:", "RetransSegs"),
            Field(await File.ReadAllLinesAsync("/proc/net/netstat"), "TcpExt:", "TCPTimeouts"));

        // Each protocol has a line of names followed by a line of values.
        private static long Field(string[] lines, string protocol, string name)
        {
            var rows = lines.Where(line => line.StartsWith(protocol, StringComparison.Ordinal)).Select(line => line.Split(' ')).ToArray();
            var column = Array.IndexOf(rows[0], name);
            return long.Parse(rows[1][column], CultureInfo.InvariantCulture);
        }
    }
}
