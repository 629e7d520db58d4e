using System.Globalization;
using System.Text;

namespace ImageCatalog.Bench;

/// <summary>The read scenarios of issue 5; <see cref="Query"/> varies its values with the request number where the scenario allows.</summary>
public sealed record Scenario(string Id, string Title, string Project, Func<int, string> Query)
{
    /// <summary>Request <paramref name="i"/> as the product's query, read the way the references read their query string.</summary>
    public Application.ImageGroups.GetImageGroups.GetImageGroupsQuery QueryFor(int i) =>
        ReferenceServer.Filter.From(new Microsoft.AspNetCore.Http.QueryCollection(
            Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Query(i)))).ToQuery(Project);

    public static IEnumerable<Scenario> All(DataSet data)
    {
        yield return new("S1", "page 1, default limit (200), project A", DataSet.ProjectA, _ => "");
        yield return new("S2", "page 1, limit 20, project A", DataSet.ProjectA, _ => "limit=20");
        yield return new("S3", "fuzzy name of 3-5 characters, limit 20", DataSet.ProjectA, i => $"name={FuzzyFragment(i)}&limit=20");
        yield return new("S4", "exact name", DataSet.ProjectA, i => $"name={ExactName(data, i)}&name_fuzzy_match=false");
        yield return new("S5", "namespace filter, limit 20", DataSet.ProjectA, i => $"namespace=ns-{i % data.Namespaces}&limit=20");
        yield return new("S6", "offset 10,000, limit 20", DataSet.ProjectA, _ => $"offset={Math.Min(10_000, data.Groups / 4)}&limit=20");
        yield return new("S7", "a small project's page 1", DataSet.SmallProject(0), _ => "limit=20");
    }

    // Group names end in 6 hex digits of md5; a 3-5 character fragment of hex matches a small share of them.
    internal static string FuzzyFragment(int i) => Convert.ToHexStringLower(BitConverter.GetBytes(i * 2654435761u))[..(3 + (i % 3))];

    // The exact name of an even group (workspace 0).
    private static string ExactName(DataSet data, int i) => GroupName(EvenGroup(data, i));

    /// <summary>An even group of project A (so in workspace 0), spread over the project by the request number.</summary>
    internal static int EvenGroup(DataSet data, int i) => ((i * 7919) % (data.Groups / 2) + 1) * 2;

    /// <summary>Project A's group g: image-&lt;g&gt;-&lt;md5(seed:g) prefix&gt;, as DataSet generates it.</summary>
    internal static string GroupName(int group)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes($"{DataSet.Seed}:{group}")));
        return string.Create(CultureInfo.InvariantCulture, $"image-{group}-{hash[..6]}");
    }
}

public sealed record ScenarioResult(
    string Id, string Title, Measurement Floor, Measurement Service, Measurement Naive, double OpenLoopRate, Measurement Open, string Plan,
    WindowConditions? OpenConditions, IReadOnlyList<Quarter>? Quarters = null)
{
    public double ServiceToFloor => Service.RequestsPerSecond / Floor.RequestsPerSecond;

    /// <summary>CPU time per request over the side's saturated quarters; null in reports from before they were recorded.</summary>
    public RequestCost? CostOf(string side) => Quarters is null ? null : Quarter.Mean(Quarters.Where(quarter => quarter.Side == side));

    /// <summary>The bytes <paramref name="side"/>'s process allocated per request over its quarters that recorded them, weighed as <see cref="CostOf"/>.</summary>
    public double AllocatedBytesOf(string side) => Quarter.PerRequest(
        [.. (Quarters ?? []).Where(quarter => quarter.Side == side && quarter.AllocatedBytes is not null)], quarter => quarter.AllocatedBytes!.Value);

    public double ServiceToNaive => Service.RequestsPerSecond / Math.Max(0.001, Naive.RequestsPerSecond);
}

/// <summary>
/// One saturated quarter of a scenario: the side measured ("floor" or "service"), its throughput, what a request cost,
/// for the service what its runtime did, and the bytes its server's process allocated per request (the last two null in
/// reports from before they were recorded).
/// </summary>
public sealed record Quarter(string Side, double RequestsPerSecond, RequestCost Cost, RuntimeUse? Runtime = null, double? AllocatedBytes = null)
{
    /// <summary>What a request cost over the quarters (<see cref="PerRequest"/>).</summary>
    public static RequestCost Mean(IEnumerable<Quarter> quarters)
    {
        var list = quarters.ToList();
        return new RequestCost(
            PerRequest(list, quarter => quarter.Cost.Server), PerRequest(list, quarter => quarter.Cost.Generator),
            PerRequest(list, quarter => quarter.Cost.Postgres), PerRequest(list, quarter => quarter.Cost.Machine));
    }

    /// <summary>
    /// A per-request figure over equally long quarters: each quarter weighs as many requests as it served (NaN for none).
    /// </summary>
    public static double PerRequest(IReadOnlyCollection<Quarter> quarters, Func<Quarter, double> figure) =>
        quarters.Sum(quarter => figure(quarter) * quarter.RequestsPerSecond) / quarters.Sum(quarter => quarter.RequestsPerSecond);
}

public sealed record BenchReport(
    DateTimeOffset RunAt, string Mode, int Cores, DataSet Data, double LoadSeconds, double ServicePeakRssMb, string LoadGenerator,
    IReadOnlyList<ScenarioResult> Scenarios, IReadOnlyList<GrowthPoint> Growth, string GrowthPlot,
    IReadOnlyList<PreparationResult> Preparation, WriteResult Writes, int Connections, IReadOnlyList<TuningResult> Tuning,
    string? Autogroup = null, IReadOnlyList<double>? WarmUpJitted = null)
{
    /// <summary>S2's median latency at the largest project over its median at the smallest.</summary>
    public double S2Growth =>
        Growth.Where(point => point.Scenario == "S2").MaxBy(point => point.Versions)!.P50
        / Growth.Where(point => point.Scenario == "S2").MinBy(point => point.Versions)!.P50;

    /// <summary>The report; <paramref name="notes"/>, the engineers' reading of the figures, goes in after them.</summary>
    public string ToMarkdown(string? notes)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine("# Performance");
        text.AppendLine();
        text.AppendLine(c, $"Produced by `dotnet run -c Release --project bench/ImageCatalog.Bench` on {RunAt:yyyy-MM-dd HH:mm} UTC, {Cores} cores, ");
        text.AppendLine(c, $"load generator, service and PostgreSQL on the same machine. Figures from {LoadGenerator}.");
        text.AppendLine(c, $"The kernel's autogroup scheduling: {Autogroup ?? "not recorded"} (why it matters: \"Open-loop tail\" in the engineers' notes, bench/performance-notes.md).");
        text.AppendLine();
        text.AppendLine(c, $"Data: {Data.Versions:N0} versions; project A {Data.Groups:N0} groups x {Data.VersionsPerGroup} over {Data.Namespaces} namespaces and 2 workspaces; ");
        text.AppendLine(c, $"{Data.SmallProjects} projects of {Data.SmallProjectVersions:N0}; {Data.BuiltInVersions:N0} built-in. Loaded in {LoadSeconds:F1} s. Service peak RSS {ServicePeakRssMb:F0} MB.");
        text.AppendLine();
        text.AppendLine("Saturated throughput: closed loop, 16 connections; service and floor 20 s each, in four quarters interleaved floor-service-service-floor-service-floor-floor-service after a warm-up; the naive peer 20 s. Open loop: 20 s at half the floor's throughput after a warm-up, each request's latency counted from its scheduled send time; p50, p99 and p99.9 below are the open loop's.");
        if (WarmUpJitted is { Count: > 0 })
        {
            text.AppendLine();
            text.AppendLine(c, $"Before the first scenario, every scenario ran against the service and the floor in warm-up passes, until a pass in which the service's JIT compiled at most 5 methods a second, or three: {WarmUpJitted.Count} here, in which it compiled {string.Join(", ", WarmUpJitted.Select(jitted => jitted.ToString("N0", c)))} methods.");
        }
        text.AppendLine();
        text.AppendLine("| scenario | service req/s | floor req/s | naive req/s | service/floor | service/naive | open-loop rate | p50 ms | p99 ms | p99.9 ms |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var s in Scenarios)
        {
            text.AppendLine(c, $"| {s.Id} {s.Title} | {s.Service.RequestsPerSecond:F0} | {s.Floor.RequestsPerSecond:F0} | {s.Naive.RequestsPerSecond:F1} | {s.ServiceToFloor:F2} | {s.ServiceToNaive:F0} | {s.OpenLoopRate:F0}/s | {s.Open.P50:F2} | {s.Open.P99:F2} | {s.Open.P999:F2} |");
        }

        if (Scenarios.Any(s => s.Quarters is not null))
        {
            text.AppendLine();
            text.AppendLine("## What a saturated request costs, and each quarter");
            text.AppendLine();
            text.AppendLine("CPU microseconds per request over each side's four quarters (from `/proc`, 10 ms ticks): the server's process (the service, or the floor's), the load generator, PostgreSQL's processes, and the rest of the machine (what no process was charged for: mostly the kernel's network work for the loopback traffic). The service's process time minus the floor's is what the layers cost per request. Then each quarter's throughput in the order run, floor (F) and service (S).");
            text.AppendLine();
            text.AppendLine("| scenario | service process us | floor process us | layers us | generator us, service / floor | PostgreSQL us, service / floor | the rest us, service / floor | machine us, service / floor | quarters req/s |");
            text.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var s in Scenarios.Where(s => s.Quarters is not null))
            {
                var service = s.CostOf("service")!.Value;
                var floor = s.CostOf("floor")!.Value;
                var quarters = string.Join(" ", s.Quarters!.Select(quarter => string.Create(c, $"{char.ToUpperInvariant(quarter.Side[0])} {quarter.RequestsPerSecond:F0}")));
                text.AppendLine(c, $"| {s.Id} | {service.Server:F1} | {floor.Server:F1} | {service.Server - floor.Server:F1} | {service.Generator:F1} / {floor.Generator:F1} | {service.Postgres:F1} / {floor.Postgres:F1} | {service.Rest:F1} / {floor.Rest:F1} | {service.Machine:F1} / {floor.Machine:F1} | {quarters} |");
            }
        }

        if (Scenarios.Any(s => s.Quarters?.Any(quarter => quarter.Runtime is not null) == true))
        {
            text.AppendLine();
            text.AppendLine("## The service's runtime in each saturated quarter");
            text.AppendLine();
            text.AppendLine("The bytes the service's process and the floor's allocated per request over their quarters, each quarter weighed by its requests (the service's `/metrics`, the floor's `/allocated`). Then from the service's `/metrics` before and after each of its four quarters, in the order run: the thread pool's threads at the quarter's end, the work items it ran per request, garbage collections and their pause time per 1000 requests, monitor lock contentions and methods the JIT compiled per 1000 requests (tiered compilation still at work), and the gen2 heap and working set at the quarter's end. A process whose requests grow dearer from quarter to quarter shows here what grew with them.");
            text.AppendLine();
            text.AppendLine("| scenario | allocated B/request, service / floor | pool threads | work items / request | GCs gen0 / gen1 / gen2 per 1000 | GC pause ms per 1000 | lock contentions per 1000 | methods jitted per 1000 | gen2 heap MB | working set MB |");
            text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
            foreach (var s in Scenarios.Where(s => s.Quarters?.Any(quarter => quarter.Runtime is not null) == true))
            {
                var runtimes = s.Quarters!.Where(quarter => quarter.Runtime is not null).Select(quarter => quarter.Runtime!).ToList();
                string Each(Func<RuntimeUse, string> format) => string.Join(" ", runtimes.Select(format));
                text.AppendLine(c, $"| {s.Id} | {s.AllocatedBytesOf("service"):F0} / {s.AllocatedBytesOf("floor"):F0} | {Each(r => r.Threads.ToString("F0", c))} | {Each(r => r.WorkItems.ToString("F2", c))} | {Each(r => string.Create(c, $"{r.Gen0PerThousand:F2}/{r.Gen1PerThousand:F2}/{r.Gen2PerThousand:F2}"))} | {Each(r => r.PauseMsPerThousand.ToString("F2", c))} | {Each(r => r.LockContentionsPerThousand.ToString("F1", c))} | {Each(r => r.JittedMethodsPerThousand.ToString("F1", c))} | {Each(r => r.Gen2HeapMb.ToString("F1", c))} | {Each(r => r.WorkingSetMb.ToString("F0", c))} |");
            }
        }

        text.AppendLine();
        text.AppendLine("## What else happened during each open loop");
        text.AppendLine();
        text.AppendLine("Counted over each scenario's measured open-loop window: the service's garbage collections and their pause time (its `/metrics`), the load generator's own GC pause time, PostgreSQL's checkpoints and the buffers they wrote, the seconds in which an autovacuum worker was running, the generator's dispatch lag over the window (how late after its scheduled time it handed a request to its HTTP client; the latencies count from the scheduled time, so this part of them is the generator's own), and the second of the window with the slowest request, with the largest dispatch lag in it. Where a stall sits: the samples of 50 ms or more in the service's own histograms, as ASP.NET Core timed the request / the mediator the query / Npgsql the command, and the machine's TCP retransmissions.");
        text.AppendLine();
        text.AppendLine("| scenario | p99 ms | dispatch lag p50 / p99 ms | slowest second: max ms | its dispatch lag ms | samples >= 50 ms: HTTP / mediator / Npgsql | TCP retransmissions | service GCs gen0 / gen1 / gen2 | service GC pauses ms | generator GC pauses ms | checkpoints (buffers written) | autovacuum s |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var s in Scenarios.Where(s => s.OpenConditions is not null))
        {
            var seen = s.OpenConditions!;
            var slow = seen.Slow is { } samples ? $"{samples.Http} / {samples.Mediator} / {samples.Database}" : "not recorded";
            text.AppendLine(c, $"| {s.Id} | {s.Open.P99:F2} | {seen.DispatchLagP50Ms?.ToString("F2", c) ?? "not recorded"} / {seen.DispatchLagP99Ms?.ToString("F2", c) ?? "not recorded"} | {seen.SlowestSecondMaxMs:F1} (second {seen.SlowestSecond}) | {seen.SlowestSecondDispatchLagMs?.ToString("F1", c) ?? "not recorded"} | {slow} | {seen.TcpRetransmissions?.ToString(c) ?? "not recorded"} | {seen.ServiceGen0} / {seen.ServiceGen1} / {seen.ServiceGen2} | {seen.ServicePauseMs:F0} | {seen.GeneratorPauseMs:F0} | {seen.Checkpoints} ({seen.CheckpointBuffers:N0}) | {seen.AutovacuumSeconds} of {seen.SampledSeconds} |");
        }

        text.AppendLine();
        text.AppendLine("## Targets");
        text.AppendLine();
        text.AppendLine("| target | measured | met |");
        text.AppendLine("|---|---|---|");
        foreach (var (target, measured, met) in Targets())
        {
            text.AppendLine(c, $"| {target} | {measured} | {(met ? "yes" : "**no**")} |");
        }

        text.AppendLine();
        text.AppendLine("## W1: registers");
        text.AppendLine();
        text.AppendLine(c, $"{Connections} connections, closed loop, RegisterImage on project A, alternately a new version of an existing group and a new group (durable commits: fsync on).");
        text.AppendLine();
        text.AppendLine("| registers/s | p50 ms | p99 ms | failed | project A groups before / after | groups differing from a fresh aggregate | kept counts differing | first page equals the naive aggregate |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        var w = Writes;
        text.AppendLine(c, $"| {w.Registers.RequestsPerSecond:F0} | {w.Registers.P50:F2} | {w.Registers.P99:F2} | {w.Registers.Errors} | {w.GroupsBefore:N0} / {w.GroupsAfter:N0} | {w.GroupsDiffering} | {w.CountsDiffering} | {(w.PageEqualsAggregate ? "yes" : "**no**")} |");
        text.AppendLine();
        text.AppendLine("## Cost growth");
        text.AppendLine();
        text.AppendLine("S2 and S3 through the service with one connection, against projects of 10k and 100k versions shaped like project A (loaded into the same database after the timed load) and project A itself.");
        text.AppendLine();
        text.AppendLine(c, $"![S2 and S3 latency against the project's size]({GrowthPlot})");
        text.AppendLine();
        text.AppendLine("| scenario | versions | p50 ms | p99 ms |");
        text.AppendLine("|---|---|---|---|");
        foreach (var point in Growth)
        {
            text.AppendLine(c, $"| {point.Scenario} | {point.Versions:N0} | {point.P50:F2} | {point.P99:F2} |");
        }

        text.AppendLine();
        text.AppendLine("## Preparation, per SQL shape");
        text.AppendLine();
        text.AppendLine("Mean latency of the product's command for each scenario on one fresh connection, 50 calls with the scenario's varying values: unprepared (parsed and planned for each call), prepared with PostgreSQL's default choice (custom plans for five runs, then the generic plan if its estimate is no worse), and prepared with the generic plan forced. The last column is what the product does.");
        text.AppendLine();
        text.AppendLine("| scenario | shape | unprepared ms | prepared ms | generic / custom plans used | generic forced ms | product |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in Preparation)
        {
            text.AppendLine(c, $"| {r.Scenario} | {r.Shape} | {r.UnpreparedMs:F2} | {r.PreparedMs:F2} | {r.GenericPlans} / {r.CustomPlans} | {r.ForcedGenericMs:F2} | {(r.ProductPrepares ? "prepared" : "not prepared")} |");
        }

        text.AppendLine();
        text.AppendLine("## Tuning: S2 under runtime and pool variants");
        text.AppendLine();
        text.AppendLine("Each variant is a fresh service process on the same data: S2 saturated (16 connections, after a 20 s warm-up), then the open loop at the main run's S2 rate.");
        text.AppendLine();
        text.AppendLine("| variant | saturated req/s | open-loop rate | p50 ms | p99 ms | p99.9 ms | peak RSS MB |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var t in Tuning)
        {
            text.AppendLine(c, $"| {t.Variant} | {t.Saturated.RequestsPerSecond:F0} | {t.OpenLoopRate:F0}/s | {t.Open.P50:F2} | {t.Open.P99:F2} | {t.Open.P999:F2} | {t.PeakRssMb:F0} |");
        }

        if (notes is not null)
        {
            text.AppendLine();
            text.Append(notes.TrimEnd());
            text.AppendLine();
        }

        text.AppendLine();
        text.AppendLine("## Query plans");
        text.AppendLine();
        text.AppendLine("`EXPLAIN (ANALYZE, BUFFERS)` of the product's page and count statements for each scenario's first request, after the load.");
        foreach (var s in Scenarios)
        {
            text.AppendLine();
            text.AppendLine(c, $"### {s.Id} {s.Title}");
            text.AppendLine();
            text.AppendLine("```");
            text.Append(s.Plan.TrimEnd());
            text.AppendLine();
            text.AppendLine("```");
        }

        return text.ToString();
    }

    private IEnumerable<(string Target, string Measured, bool Met)> Targets()
    {
        var c = CultureInfo.InvariantCulture;
        ScenarioResult? Get(string id) => Scenarios.FirstOrDefault(s => s.Id == id);
        foreach (var s in Scenarios)
        {
            yield return ($"{s.Id} saturated throughput >= 0.8 x floor", string.Create(c, $"{s.ServiceToFloor:F3} x"), s.ServiceToFloor >= 0.8);
        }

        if (Get("S2") is { } s2)
        {
            yield return ("S2 >= 500 x naive", string.Create(c, $"{s2.ServiceToNaive:F0} x"), s2.ServiceToNaive >= 500);
        }

        foreach (var id in new[] { "S3", "S4", "S5" })
        {
            if (Get(id) is { } s)
            {
                yield return ($"{id} >= 20 x naive", string.Create(c, $"{s.ServiceToNaive:F0} x"), s.ServiceToNaive >= 20);
            }
        }

        foreach (var (id, limit) in new[] { ("S2", 10.0), ("S7", 10.0), ("S3", 25.0), ("S4", 25.0), ("S5", 25.0), ("S6", 50.0) })
        {
            if (Get(id) is { } s)
            {
                yield return ($"{id} open-loop p99 < {limit:F0} ms", string.Create(c, $"{s.Open.P99:F1} ms"), s.Open.P99 < limit);
            }
        }

        if (Growth.Any(point => point.Scenario == "S2"))
        {
            yield return ("S2 p50 at 1M versions <= 1.5 x at 10k", string.Create(c, $"{S2Growth:F2} x"), S2Growth <= 1.5);
        }

        yield return ("W1 >= 500 registers/s, overview exact afterwards",
            string.Create(c, $"{Writes.Registers.RequestsPerSecond:F0}/s, exact: {(Writes.Exact ? "yes" : "no")}"),
            Writes.Registers.RequestsPerSecond >= 500 && Writes.Exact);
        yield return ("service RSS under load < 300 MB", string.Create(c, $"{ServicePeakRssMb:F0} MB"), ServicePeakRssMb < 300);
        yield return ("full data load < 2 min", string.Create(c, $"{LoadSeconds:F0} s"), LoadSeconds < 120);
    }
}
