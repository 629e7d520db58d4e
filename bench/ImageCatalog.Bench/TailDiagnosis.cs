using System.Globalization;
using ImageCatalog.Infrastructure;
using Npgsql;

namespace ImageCatalog.Bench;

/// <summary>
/// <c>-- tail [rate]</c>: one long-running service process, warmed up as in the main run, then S2 as the main run
/// measures it, again and again: 10 s saturated, the open loop's warm-up, and its window at the main run's rate, each
/// window beside what else happened in it (<see cref="WindowObserver"/>). It looks for what the main run's open-loop
/// tail is made of without the rest of the run around it.
/// </summary>
public static class TailDiagnosis
{
    public static async Task<int> RunAsync(
        BenchHost host, BenchSettings settings, string connectionString, double rate, int windows, Action<string> progress)
    {
        var url = $"http://127.0.0.1:{LoopbackPort.Free()}";
        host.StartService(url, connectionString);
        using var http = BenchHost.CreateLoadClient(TimeSpan.FromMinutes(1));
        await BenchHost.WaitForAsync(http, url + "/openapi/v1.json");
        var generator = new LoadGenerator(http);
        progress("warming up the service on every scenario");
        foreach (var scenario in Scenario.All(settings.Data))
        {
            await generator.ClosedLoopAsync(i => host.GroupRequest(url, scenario, i), settings.Connections, settings.WarmUp, TimeSpan.Zero);
        }

        var s2 = Scenario.All(settings.Data).Single(scenario => scenario.Id == "S2");
        await using var database = NpgsqlDataSource.Create(connectionString);
        var failed = 0L;
        for (var window = 1; window <= windows; window++)
        {
            await generator.ClosedLoopAsync(i => host.GroupRequest(url, s2, i), settings.Connections, TimeSpan.Zero, settings.Duration / 2);
            WindowObserver? observer = null;
            var open = await generator.OpenLoopAsync(
                i => host.GroupRequest(url, s2, i), rate, settings.WarmUp, settings.Duration, async () => observer = await WindowObserver.StartAsync(http, url, database));
            var seen = await observer!.StopAsync(open, rate);
            failed += open.Latency.Errors;
            progress(string.Create(CultureInfo.InvariantCulture,
                $"window {window}: p50 {open.Latency.P50:F2} ms, p99 {open.Latency.P99:F2}, p99.9 {open.Latency.P999:F2}; {open.Latency.Errors} failed; "
                + $"slowest second {seen.SlowestSecond} (max {seen.SlowestSecondMaxMs:F1} ms, generator GC pauses {seen.SlowestSecondGeneratorPauseMs?.ToString("F0", CultureInfo.InvariantCulture) ?? "unknown"} ms, "
                + $"dispatch lag up to {seen.SlowestSecondDispatchLagMs:F1} ms in it); samples of 50 ms or more: HTTP {seen.Slow?.Http}, mediator {seen.Slow?.Mediator}, Npgsql {seen.Slow?.Database}; "
                + $"TCP retransmissions {seen.TcpRetransmissions}, timeouts {seen.TcpTimeouts}; "
                + $"service GC gen0/1/2 {seen.ServiceGen0}/{seen.ServiceGen1}/{seen.ServiceGen2}, pauses {seen.ServicePauseMs:F0} ms; "
                + $"generator GC pauses {seen.GeneratorPauseMs:F0} ms; checkpoints {seen.Checkpoints} ({seen.CheckpointBuffers} buffers); "
                + $"autovacuum in {seen.AutovacuumSeconds} of {seen.SampledSeconds} s"));
        }

        return failed == 0 ? 0 : 1;
    }
}
