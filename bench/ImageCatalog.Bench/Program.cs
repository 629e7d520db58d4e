using System.Text.Json;
using ImageCatalog.Bench;
using ImageCatalog.Infrastructure;
using ImageCatalog.Infrastructure.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

// dotnet run -c Release --project bench/ImageCatalog.Bench [-- --smoke] : loads the data, runs every scenario against
// the service and the two references, and writes docs/performance.md and bench/results/latest.json.
// ... -- load "<connection string>" : migrates that database and loads the full data set into it, to explore plans.
// ... -- plans "<connection string>" : on a loaded database, each scenario's plans and its prepared/unprepared latency.
// ... -- scaling [--smoke] : S2, S4 and S7 with reads on the primary, on a streaming replica and spread over both;
//     writes docs/scaling-benchmark.md and bench/results/scaling.json.
// ... -- tail [rate] : S2's open loop in one long-running service, window after window, beside its GCs, checkpoints and
//     autovacuum (bench/performance-notes.md, "Open-loop tail").
// ... -- compare <scenario> "<connection string>" [rounds] [open] [warm-all | warm=S1,S3] [baseline=<ImageCatalog.Api.dll>] [NAME=value ...] : on a
//     database `load` filled, one scenario through the service (with NAME=value in its environment), the floor and
//     optionally an earlier build in alternating rounds, with the CPU time a request costs on each side, for trying a
//     change to the layers in minutes; `open` adds each service's open loop at half the floor's rate, `warm-all` warms
//     every side up on every scenario first, as the main run does, `warm=S1,S3` on the scenarios listed.
// ... -- render : writes docs/performance.md again from bench/results/latest.json and bench/performance-notes.md.
// Every mode that starts a cluster switches the kernel's autogroup scheduling off for its run when it may (root) and
// puts it back afterwards (AutogroupScheduling); --keep-autogroup leaves it as it is.
if (args is ["serve-references", var referenceConnection, var referenceListenUrl])
{
    await ReferenceServer.RunAsync(referenceConnection, referenceListenUrl);
    return 0;
}

if (args is ["plans", var loadedConnection])
{
    foreach (var result in await Growth.ComparePreparationAsync(loadedConnection, DataSet.Full, runs: 50))
    {
        Console.WriteLine(result);
    }

    foreach (var scenario in Scenario.All(DataSet.Full))
    {
        Console.WriteLine($"## {scenario.Id}\n{await QueryPlans.ExplainAsync(loadedConnection, scenario)}");
    }

    return 0;
}

if (args is ["render"])
{
    var repository = FindRoot();
    var last = JsonSerializer.Deserialize<BenchReport>(File.ReadAllText(Path.Combine(repository, "bench", "results", "latest.json")))!;
    File.WriteAllText(
        Path.Combine(repository, "docs", "performance.md"),
        last.ToMarkdown(File.ReadAllText(Path.Combine(repository, "bench", "performance-notes.md"))));
    return 0;
}

if (args is ["load", var targetConnection])
{
    await MigrateAsync(targetConnection);
    var elapsed = await DataSet.Full.LoadAsync(targetConnection, line => Console.WriteLine(line));
    Console.WriteLine($"loaded {DataSet.Full.Versions:N0} versions in {elapsed.TotalSeconds:F1} s");
    return 0;
}

var smoke = args.Contains("--smoke");
var keepAutogroup = args.Contains("--keep-autogroup");
args = [.. args.Where(argument => argument != "--keep-autogroup")];
var scaling = args.Contains("scaling");
var root = FindRoot();
var settings = smoke
    ? new BenchSettings(DataSet.Smoke, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1.5), 16)
    : new BenchSettings(DataSet.Full, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), 16);
void Progress(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

await using var host = await BenchHost.StartAsync(root, keepAutogroup, Progress);
if (args is ["compare", var compared, var comparedDatabase, .. var rest])
{
    return await Compare.RunAsync(host, compared, comparedDatabase, rest, Progress);
}

await host.Cluster.CreateDatabaseIfMissingAsync("bench", CancellationToken.None);
var connectionString = host.Cluster.ConnectionString("bench");
await MigrateAsync(connectionString);

var loadTime = await settings.Data.LoadAsync(connectionString, Progress);
Progress($"loaded {settings.Data.Versions:N0} versions in {loadTime.TotalSeconds:F1} s");
if (args is ["tail", ..])
{
    var rate = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2024;
    return await TailDiagnosis.RunAsync(host, settings, connectionString, rate, windows: 8, Progress);
}

if (scaling)
{
    return await Scaling.RunAsync(host, settings, connectionString, root, smoke, Progress);
}

var serviceUrl = $"http://127.0.0.1:{LoopbackPort.Free()}";
var service = host.StartService(serviceUrl, connectionString);
var (referenceUrl, references) = host.StartReferences(connectionString);
using var http = BenchHost.CreateLoadClient(TimeSpan.FromMinutes(5));
await BenchHost.WaitForAsync(http, serviceUrl + "/openapi/v1.json");
await BenchHost.WaitForReferencesAsync(http, referenceUrl);
var generator = new LoadGenerator(http);
HttpRequestMessage ServiceRequestAt(string url, Scenario scenario, int i) => host.GroupRequest(url, scenario, i);

HttpRequestMessage ServiceRequestFor(Scenario scenario, int i) => ServiceRequestAt(serviceUrl, scenario, i);

HttpRequestMessage ReferenceRequest(string kind, Scenario scenario, int i) => host.ReferenceRequest(referenceUrl, kind, scenario, i);


// Tiered JIT compilation with dynamic PGO takes a while to settle on two busy cores (its background compiler shares
// them with the load): every scenario runs against the service and the floor before anything is measured, pass after
// pass while the service's JIT still compiled more than a few methods a second (at most three passes). A service that
// has served every scenario keeps compiling a method now and then (0.3-0.5 per 1000 requests, a few a second, in the
// quarters of the 17:25 UTC run); tier-up still in progress compiles hundreds in a pass.
const double MaxSettledJitPerSecond = 5;
var warmUpJitted = new List<double>();
for (var pass = 1; pass <= 3; pass++)
{
    Progress($"warming up the service and the floor, pass {pass}");
    var jittedBefore = (await RuntimeSnapshot.ReadAsync(http, serviceUrl)).JittedMethods;
    var passTime = System.Diagnostics.Stopwatch.StartNew();
    foreach (var scenario in Scenario.All(settings.Data))
    {
        await generator.ClosedLoopAsync(i => ServiceRequestFor(scenario, i), settings.Connections, settings.WarmUp, TimeSpan.Zero);
        await generator.ClosedLoopAsync(
            i => ReferenceRequest("floor", scenario, i),
            settings.Connections, settings.WarmUp, TimeSpan.Zero);
    }

    var jitted = (await RuntimeSnapshot.ReadAsync(http, serviceUrl)).JittedMethods - jittedBefore;
    warmUpJitted.Add(jitted);
    Progress($"  the service's JIT compiled {jitted:F0} methods in this pass");
    if (jitted / passTime.Elapsed.TotalSeconds <= MaxSettledJitPerSecond)
    {
        break;
    }
}

var results = new List<ScenarioResult>();
await using var observed = NpgsqlDataSource.Create(connectionString);
foreach (var scenario in Scenario.All(settings.Data))
{
    Progress($"{scenario.Id} {scenario.Title}");
    HttpRequestMessage ServiceRequest(int i) => ServiceRequestFor(scenario, i);

    // Floor and service measured in four quarters each, interleaved floor-service-service-floor and then
    // service-floor-floor-service: both then have the same mean time in the run, so a steady drift (checkpoints,
    // autovacuum, JIT) favours neither side of the ratio, and a slow spell of the VM, which lasts from seconds to
    // minutes here, falls on both sides unless it is shorter than a quarter. Each quarter's CPU time per request in the
    // server's process, the generator and the machine says which of them a slow quarter came from.
    var quarter = settings.Duration / 4;
    var floorParts = new List<Measurement>();
    var serviceParts = new List<Measurement>();
    var quarters = new List<Quarter>();
    foreach (var floorTurn in new[] { true, false, false, true, false, true, true, false })
    {
        var parts = floorTurn ? floorParts : serviceParts;
        Func<int, HttpRequestMessage> request = floorTurn ? i => ReferenceRequest("floor", scenario, i) : ServiceRequest;
        var serverPid = floorTurn ? references.Id : service.Id;
        await generator.ClosedLoopAsync(request, settings.Connections, parts.Count == 0 ? settings.WarmUp : settings.WarmUp / 5, TimeSpan.Zero);
        var (measured, cost, runtime, allocated) = await ServerStretch.MeasureAsync(
            http, serverPid, floorTurn ? null : serviceUrl, referenceUrl,
            () => generator.ClosedLoopAsync(request, settings.Connections, TimeSpan.Zero, quarter));
        parts.Add(measured);
        quarters.Add(new Quarter(floorTurn ? "floor" : "service", measured.RequestsPerSecond, cost, runtime, allocated));
    }

    var floor = Measurement.Combine(floorParts);
    var serviceClosed = Measurement.Combine(serviceParts);
    var rate = Math.Max(1, floor.RequestsPerSecond / 2);
    WindowObserver? observer = null;
    var serviceOpen = await generator.OpenLoopAsync(
        ServiceRequest, rate, settings.WarmUp, settings.Duration, async () => observer = await WindowObserver.StartAsync(http, serviceUrl, observed));
    var conditions = await observer!.StopAsync(serviceOpen, rate);
    // Last: aggregating on read sweeps the images through the buffer cache.
    var naive = await generator.ClosedLoopAsync(i => ReferenceRequest("naive", scenario, i), settings.Connections, TimeSpan.Zero, settings.Duration);
    var plan = await QueryPlans.ExplainAsync(connectionString, scenario);
    results.Add(new ScenarioResult(scenario.Id, scenario.Title, floor, serviceClosed, naive, rate, serviceOpen.Latency, plan, conditions, quarters));
    var result = results[^1];
    Progress($"  service {serviceClosed.RequestsPerSecond:F0} req/s, floor {floor.RequestsPerSecond:F0}, naive {naive.RequestsPerSecond:F1}; "
        + $"open loop at {rate:F0}/s: p99 {serviceOpen.Latency.P99:F2} ms; CPU us/request: service {result.CostOf("service")}; floor {result.CostOf("floor")}");
}

Progress("preparation: each scenario's SQL unprepared, prepared, and with the generic plan forced");
var preparation = await Growth.ComparePreparationAsync(connectionString, settings.Data, runs: smoke ? 10 : 50);

Progress("cost growth: loading projects of 10k and 100k versions shaped like project A");
foreach (var groups in new[] { settings.Data.Groups / 100, settings.Data.Groups / 10 })
{
    await settings.Data.AddProjectAsync(connectionString, DataSet.GrowthProject(groups), groups);
}

var growth = await Growth.RunAsync(generator, settings, scenario => i => ServiceRequestFor(scenario, i), Progress);

// Each variant is a fresh service process on the same data: S2 saturated, then open loop at the rate of the main run.
Progress("tuning: S2 through the service under runtime and connection-pool variants");
var s2 = results.Single(result => result.Id == "S2");
var tuning = new List<TuningResult>();
foreach (var variant in TuningVariant.All(connectionString))
{
    var url = $"http://127.0.0.1:{LoopbackPort.Free()}";
    var candidate = host.StartService(url, variant.ConnectionString, variant.Environment);
    try
    {
        await BenchHost.WaitForAsync(http, url + "/openapi/v1.json");
        var scenario = Scenario.All(settings.Data).Single(s => s.Id == "S2");
        // A fresh process: a longer warm-up than a scenario's, so that tiered JIT has settled as in the main run.
        var closed = await generator.ClosedLoopAsync(i => ServiceRequestAt(url, scenario, i), settings.Connections, settings.WarmUp * 4, settings.Duration / 2);
        var open = await generator.OpenLoopAsync(i => ServiceRequestAt(url, scenario, i), s2.OpenLoopRate, settings.WarmUp, settings.Duration / 2);
        tuning.Add(new TuningResult(variant.Name, closed, s2.OpenLoopRate, open.Latency, BenchHost.PeakRssMegabytes(candidate.Id)));
        Progress($"  {variant.Name}: {closed.RequestsPerSecond:F0} req/s; open loop p99 {open.Latency.P99:F2} ms, p99.9 {open.Latency.P999:F2} ms");
    }
    finally
    {
        await BenchHost.StopAsync(candidate);
    }
}

Progress("W1 registers, then the overview against a fresh aggregate");
var writes = await Writes.RunAsync(generator, http, settings, serviceUrl, referenceUrl, host.Token, connectionString);
Progress($"  {writes.Registers.RequestsPerSecond:F0} registers/s, {writes.Registers.Errors} failed; exact afterwards: {writes.Exact}");

var peakRssMb = BenchHost.PeakRssMegabytes(service.Id);
var resultsFolder = Path.Combine(root, "bench", "results");
Directory.CreateDirectory(resultsFolder);
var plotName = smoke ? "smoke-growth.png" : "performance-growth.png";
var plotPath = Path.Combine(smoke ? resultsFolder : Path.Combine(root, "docs"), plotName);
GrowthPlot.Save(growth, plotPath);
Progress($"wrote {plotPath}");
var report = new BenchReport(
    DateTimeOffset.UtcNow, smoke ? "smoke" : "full", Environment.ProcessorCount, settings.Data, loadTime.TotalSeconds, peakRssMb,
    "ImageCatalog.Bench closed/open-loop generator (bench/ImageCatalog.Bench/LoadGenerator.cs)", results, growth, plotName, preparation,
    writes, settings.Connections, tuning, host.Autogroup, warmUpJitted);
var jsonPath = Path.Combine(resultsFolder, smoke ? "smoke.json" : "latest.json");
File.WriteAllText(jsonPath, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
Progress($"wrote {jsonPath}");
// The smoke report stays out of the docs: tiny data says nothing about the targets.
var markdownPath = smoke ? Path.Combine(resultsFolder, "smoke.md") : Path.Combine(root, "docs", "performance.md");
// The notes read the full run's figures; the smoke report goes without them.
var notesPath = Path.Combine(root, "bench", "performance-notes.md");
File.WriteAllText(markdownPath, report.ToMarkdown(smoke || !File.Exists(notesPath) ? null : File.ReadAllText(notesPath)));
Progress($"wrote {markdownPath}");

var failed = results.Where(result => result.Service.Errors > 0 || result.Open.Errors > 0 || result.Service.Requests == 0).ToList();
foreach (var result in failed)
{
    Console.Error.WriteLine($"{result.Id}: {result.Service.Errors + result.Open.Errors} failed requests, {result.Service.Requests} measured");
}

// A write that failed, or an overview that no longer equals the aggregate, fails the run (and the smoke run in CI).
if (writes.Registers.Errors > 0 || writes.Registers.Requests == 0 || !writes.Exact)
{
    Console.Error.WriteLine($"W1: {writes.Registers.Errors} failed registers; exact afterwards: {writes.Exact} ({writes})");
    return 1;
}

return failed.Count == 0 ? 0 : 1;

static async Task MigrateAsync(string connectionString)
{
    await using var dataSource = NpgsqlDataSource.Create(connectionString);
    await new DatabaseMigrator(dataSource, new DatabaseEndpoint(connectionString), NullLogger<DatabaseMigrator>.Instance)
        .MigrateAsync(CancellationToken.None);
}

static string FindRoot()
{
    var folder = new DirectoryInfo(AppContext.BaseDirectory);
    while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "ImageCatalog.sln")))
    {
        folder = folder.Parent;
    }

    return folder?.FullName ?? throw new InvalidOperationException("Run the benchmark from the repository.");
}

public sealed record BenchSettings(DataSet Data, TimeSpan WarmUp, TimeSpan Duration, int Connections);
