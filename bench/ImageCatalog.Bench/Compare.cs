using System.Globalization;
using ImageCatalog.Infrastructure;

namespace ImageCatalog.Bench;

/// <summary>
/// <c>-- compare &lt;scenario&gt; "&lt;connection string&gt;" [rounds] [open] [warm-all | warm=&lt;scenarios&gt;] [baseline=&lt;ImageCatalog.Api.dll&gt;] [NAME=value ...]</c>:
/// on a database the <c>load</c> mode filled, one scenario's saturated throughput through the service and the floor,
/// alternating in 10 s rounds, with the ratio of each round and of all of them, the bytes each server allocated per
/// request (the service's /metrics, the floor's /allocated), the service's runtime in each round (<see cref="RuntimeUse"/>),
/// and the CPU time a request costs in the server's process, in the load generator and on the whole machine
/// (<see cref="CpuTime"/>). With a baseline, another build of the service (a copy of an earlier
/// <c>bin/Release</c>) runs in the same rounds, so that a change is measured against it under the same conditions. The
/// NAME=value arguments go into the service's environment only (a runtime knob, a configuration key). It is for trying
/// a change to the layers in minutes instead of a full run. With <c>open</c>, each service then runs the main run's
/// open loop (20 s at half the floor's throughput in these rounds) for its latency percentiles. With <c>warm-all</c>,
/// every scenario warms each side up first, as in the main run, so the JIT's profile is the mixed one; <c>warm=S1,S3</c>
/// warms with the scenarios listed.
/// </summary>
public static class Compare
{
    public static async Task<int> RunAsync(BenchHost host, string scenarioId, string connectionString, string[] arguments, Action<string> progress)
    {
        var openLoop = arguments.Contains("open");
        var warmAll = arguments.Contains("warm-all");
        arguments = [.. arguments.Where(argument => argument is not "open" and not "warm-all")];
        var rounds = arguments.Where(argument => !argument.Contains('=', StringComparison.Ordinal))
            .Select(argument => int.Parse(argument, CultureInfo.InvariantCulture)).FirstOrDefault(3);
        var settings = arguments.Where(argument => argument.Contains('=', StringComparison.Ordinal))
            .Select(argument => argument.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);
        var baselineAssembly = settings.Remove("baseline", out var baselinePath) ? Path.GetFullPath(baselinePath) : null;
        var warmed = settings.Remove("warm", out var warmList) ? warmList.Split(',') : warmAll ? [.. Scenario.All(DataSet.Full).Select(s => s.Id)] : [];

        var scenario = Scenario.All(DataSet.Full).Single(s => s.Id == scenarioId);
        using var http = BenchHost.CreateLoadClient(TimeSpan.FromMinutes(1));
        var generator = new LoadGenerator(http);
        var (referenceUrl, references) = host.StartReferences(connectionString);
        var floor = new Side("floor", references.Id, null, i => host.ReferenceRequest(referenceUrl, "floor", scenario, i));
        List<Side> services = [StartService("service", null)];
        if (baselineAssembly is not null)
        {
            services.Add(StartService("baseline", baselineAssembly));
        }

        Side StartService(string name, string? assembly)
        {
            var url = $"http://127.0.0.1:{LoopbackPort.Free()}";
            var process = host.StartService(url, connectionString, settings, assembly);
            return new Side(name, process.Id, url, i => host.GroupRequest(url, scenario, i));
        }

        await BenchHost.WaitForReferencesAsync(http, referenceUrl);
        foreach (var service in services)
        {
            await BenchHost.WaitForAsync(http, service.Url + "/openapi/v1.json");
        }

        List<Side> sides = [floor, .. services];
        foreach (var other in Scenario.All(DataSet.Full).Where(s => warmed.Contains(s.Id)))
        {
            await generator.ClosedLoopAsync(i => host.ReferenceRequest(referenceUrl, "floor", other, i), 16, TimeSpan.FromSeconds(5), TimeSpan.Zero);
            foreach (var service in services)
            {
                await generator.ClosedLoopAsync(i => host.GroupRequest(service.Url!, other, i), 16, TimeSpan.FromSeconds(5), TimeSpan.Zero);
            }
        }

        foreach (var side in sides)
        {
            await generator.ClosedLoopAsync(side.Request, 16, TimeSpan.FromSeconds(15), TimeSpan.Zero);
        }

        var round = TimeSpan.FromSeconds(10);
        for (var i = 1; i <= rounds; i++)
        {
            // Every other round in the reverse order, so that a side does not always follow the same one.
            foreach (var side in i % 2 == 1 ? sides : Enumerable.Reverse(sides))
            {
                await generator.ClosedLoopAsync(side.Request, 16, TimeSpan.FromSeconds(1), TimeSpan.Zero);
                var (measured, cost, runtime, allocated) = await ServerStretch.MeasureAsync(
                    http, side.Pid, side.Url, referenceUrl, () => generator.ClosedLoopAsync(side.Request, 16, TimeSpan.Zero, round));
                side.Add(measured.RequestsPerSecond, cost, allocated);
                progress(string.Create(CultureInfo.InvariantCulture, $"round {i}: {side.Name} {measured.RequestsPerSecond:F0} req/s; CPU us/request: {cost}")
                    + (runtime is null ? string.Create(CultureInfo.InvariantCulture, $"; allocated {allocated:F0} B/request") : $"; {runtime}"));
            }
        }

        foreach (var side in sides)
        {
            progress(string.Create(CultureInfo.InvariantCulture, $"{scenarioId} {side.Name}: {side.Throughput / rounds:F0} req/s, ratio to the floor {side.Throughput / floor.Throughput:F3}; CPU us/request: {side.Cost / rounds}")
                + string.Create(CultureInfo.InvariantCulture, $"; allocated {side.Allocated / rounds:F0} B/request"));
        }

        if (openLoop)
        {
            // As the main run measures tails: each service at half the floor's throughput (here, of these rounds).
            var rate = floor.Throughput / rounds / 2;
            foreach (var service in services)
            {
                var open = await generator.OpenLoopAsync(service.Request, rate, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20));
                progress(string.Create(CultureInfo.InvariantCulture,
                    $"{scenarioId} {service.Name} open loop at {rate:F0}/s: p50 {open.Latency.P50:F2} ms, p99 {open.Latency.P99:F2}, p99.9 {open.Latency.P999:F2}; "
                    + $"dispatch lag p50 {open.DispatchLagP50:F3} ms, p99 {open.DispatchLagP99:F3}; {open.Latency.Errors} failed"));
            }
        }

        return 0;
    }

    /// <summary>One server measured in the rounds, with the sums of its rounds.</summary>
    private sealed class Side(string name, int pid, string? url, Func<int, HttpRequestMessage> request)
    {
        public string Name => name;

        public int Pid => pid;

        /// <summary>The service's base URL; null for the floor, which has no /metrics.</summary>
        public string? Url => url;

        public Func<int, HttpRequestMessage> Request => request;

        public double Throughput { get; private set; }

        public RequestCost Cost { get; private set; }

        public double Allocated { get; private set; }

        public void Add(double throughput, RequestCost cost, double allocated)
        {
            Throughput += throughput;
            Cost += cost;
            Allocated += allocated;
        }
    }
}
