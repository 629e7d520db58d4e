using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ImageCatalog.Bench;
using ImageCatalog.Infrastructure;
using ImageCatalog.Infrastructure.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

// dotnet run -c Release --project bench/ImageCatalog.Bench [-- --smoke] : loads the data, runs every scenario against
// the service and the two references, and writes docs/performance.md and bench/results/latest.json.
// ... -- load "<connection string>" : migrates that database and loads the full data set into it, to explore plans.
// ... -- plans "<connection string>" : on a loaded database, each scenario's plans and its prepared/unprepared latency.
// ... -- render : writes docs/performance.md again from bench/results/latest.json and bench/performance-notes.md.
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
var root = FindRoot();
var settings = smoke
    ? new BenchSettings(DataSet.Smoke, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1.5), 16)
    : new BenchSettings(DataSet.Full, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), 16);
void Progress(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

const string SharedBuffers = "2GB";
var folder = Path.Combine(Path.GetTempPath(), "imagecatalog-bench-" + Guid.NewGuid().ToString("N"));
var cluster = new PostgresCluster(Path.Combine(folder, "postgres"), port: 0, binDirectory: null, NullLogger.Instance);
Progress($"starting PostgreSQL in {folder}");
await cluster.StartAsync(CancellationToken.None);
// shared_buffers as a deployment sizes it, not PostgreSQL's default of 128 MB: 2 GB holds the page indexes and the
// groups, so the naive peer's sweeps through the images do not evict them between scenarios (docs/performance.md).
await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cluster.ConnectionString("postgres")) { Pooling = false }.ConnectionString))
{
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand($"ALTER SYSTEM SET shared_buffers = '{SharedBuffers}'", connection);
    await command.ExecuteNonQueryAsync();
}

await cluster.StopAsync(CancellationToken.None);
await cluster.StartAsync(CancellationToken.None);
Progress($"PostgreSQL runs with shared_buffers = {SharedBuffers}");
var processes = new List<Process>();
try
{
    await cluster.CreateDatabaseIfMissingAsync("bench", CancellationToken.None);
    var connectionString = cluster.ConnectionString("bench");
    await MigrateAsync(connectionString);

    var loadTime = await settings.Data.LoadAsync(connectionString, Progress);
    Progress($"loaded {settings.Data.Versions:N0} versions in {loadTime.TotalSeconds:F1} s");

    using var key = RSA.Create(2048);
    var keyFile = Path.Combine(folder, "token-key.pem");
    File.WriteAllText(keyFile, key.ExportSubjectPublicKeyInfoPem());
    var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "bench",
        Audience = "imagecatalog",
        Expires = DateTime.UtcNow.AddHours(6),
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(key), SecurityAlgorithms.RsaSha256),
        Claims = new Dictionary<string, object> { ["sub"] = "bench", ["projects"] = new[] { "*" }, ["roles"] = new[] { "operator" } },
    });

    Process StartService(string url, string database, Dictionary<string, string> runtime)
    {
        var environment = new Dictionary<string, string>(runtime)
        {
            ["Database__ConnectionString"] = database,
            ["Auth__Jwt__SigningKeysFile"] = keyFile,
            ["Auth__Jwt__Issuer"] = "bench",
            ["Auth__Jwt__Audience"] = "imagecatalog",
            ["RateLimit__PermitsPerSecond"] = "10000000",
            ["RateLimit__Burst"] = "10000000",
            ["Logging__LogLevel__Default"] = "Warning",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        return StartProcess(
            Path.Combine(root, "src", "Api", "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "ImageCatalog.Api.dll"),
            ["--urls", url],
            environment);
    }

    var serviceUrl = $"http://127.0.0.1:{LoopbackPort.Free()}";
    var service = StartService(serviceUrl, connectionString, []);
    processes.Add(service);
    var referenceUrl = $"http://127.0.0.1:{LoopbackPort.Free()}";
    // The references run on the service's GC settings (its runtimeconfig), so that the ratios measure the layers; the
    // load generator in this process keeps the default server GC, so that its own pauses stay out of the latencies.
    processes.Add(StartProcess(
        typeof(ReferenceServer).Assembly.Location,
        ["serve-references", connectionString, referenceUrl],
        new() { ["DOTNET_gcServer"] = "0", ["DOTNET_gcConcurrent"] = "1" }));

    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        Timeout = TimeSpan.FromMinutes(5),
    };
    await WaitForAsync(http, serviceUrl + "/openapi/v1.json");
    await WaitForAsync(http, referenceUrl + "/floor/" + DataSet.ProjectA + "?limit=1");
    var generator = new LoadGenerator(http);
    HttpRequestMessage ServiceRequestAt(string url, Scenario scenario, int i)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, $"{url}/v1/{scenario.Project}/images/group?{scenario.Query(i)}");
        message.Headers.Add("X-Auth-Token", token);
        return message;
    }

    HttpRequestMessage ServiceRequestFor(Scenario scenario, int i) => ServiceRequestAt(serviceUrl, scenario, i);

    HttpRequestMessage ReferenceRequest(string kind, Scenario scenario, int i) =>
        new(HttpMethod.Get, $"{referenceUrl}/{kind}/{scenario.Project}?{scenario.Query(i)}");


    // Tiered JIT compilation with dynamic PGO takes a while to settle on two busy cores: every scenario runs once
    // against the service and the floor before anything is measured.
    Progress("warming up the service and the floor");
    foreach (var scenario in Scenario.All(settings.Data))
    {
        await generator.ClosedLoopAsync(i => ServiceRequestFor(scenario, i), settings.Connections, settings.WarmUp, TimeSpan.Zero);
        await generator.ClosedLoopAsync(
            i => ReferenceRequest("floor", scenario, i),
            settings.Connections, settings.WarmUp, TimeSpan.Zero);
    }

    var results = new List<ScenarioResult>();
    foreach (var scenario in Scenario.All(settings.Data))
    {
        Progress($"{scenario.Id} {scenario.Title}");
        HttpRequestMessage ServiceRequest(int i) => ServiceRequestFor(scenario, i);

        // Floor and service alternate in two halves, so that drift during the run (checkpoints, autovacuum, JIT)
        // does not favour either side of the ratio.
        var half = settings.Duration / 2;
        var floorFirst = await generator.ClosedLoopAsync(i => ReferenceRequest("floor", scenario, i), settings.Connections, settings.WarmUp, half);
        var serviceFirst = await generator.ClosedLoopAsync(ServiceRequest, settings.Connections, settings.WarmUp, half);
        var floorSecond = await generator.ClosedLoopAsync(i => ReferenceRequest("floor", scenario, i), settings.Connections, settings.WarmUp / 5, half);
        var serviceSecond = await generator.ClosedLoopAsync(ServiceRequest, settings.Connections, settings.WarmUp / 5, half);
        var floor = Measurement.Combine(floorFirst, floorSecond);
        var serviceClosed = Measurement.Combine(serviceFirst, serviceSecond);
        var rate = Math.Max(1, floor.RequestsPerSecond / 2);
        var serviceOpen = await generator.OpenLoopAsync(ServiceRequest, rate, settings.WarmUp, settings.Duration);
        // Last: aggregating on read sweeps the images through the buffer cache.
        var naive = await generator.ClosedLoopAsync(i => ReferenceRequest("naive", scenario, i), settings.Connections, TimeSpan.Zero, settings.Duration);
        var plan = await QueryPlans.ExplainAsync(connectionString, scenario);
        results.Add(new ScenarioResult(scenario.Id, scenario.Title, floor, serviceClosed, naive, rate, serviceOpen, plan));
        Progress($"  service {serviceClosed.RequestsPerSecond:F0} req/s, floor {floor.RequestsPerSecond:F0}, naive {naive.RequestsPerSecond:F1}; "
            + $"open loop at {rate:F0}/s: p99 {serviceOpen.P99:F2} ms");
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
        using var candidate = StartService(url, variant.ConnectionString, variant.Environment);
        try
        {
            await WaitForAsync(http, url + "/openapi/v1.json");
            var scenario = Scenario.All(settings.Data).Single(s => s.Id == "S2");
            // A fresh process: a longer warm-up than a scenario's, so that tiered JIT has settled as in the main run.
            var closed = await generator.ClosedLoopAsync(i => ServiceRequestAt(url, scenario, i), settings.Connections, settings.WarmUp * 4, settings.Duration / 2);
            var open = await generator.OpenLoopAsync(i => ServiceRequestAt(url, scenario, i), s2.OpenLoopRate, settings.WarmUp, settings.Duration / 2);
            tuning.Add(new TuningResult(variant.Name, closed, s2.OpenLoopRate, open, PeakRssMegabytes(candidate.Id)));
            Progress($"  {variant.Name}: {closed.RequestsPerSecond:F0} req/s; open loop p99 {open.P99:F2} ms, p99.9 {open.P999:F2} ms");
        }
        finally
        {
            candidate.Kill(entireProcessTree: true);
            await candidate.WaitForExitAsync();
        }
    }

    Progress("W1 registers, then the overview against a fresh aggregate");
    var writes = await Writes.RunAsync(generator, http, settings, serviceUrl, referenceUrl, token, connectionString);
    Progress($"  {writes.Registers.RequestsPerSecond:F0} registers/s, {writes.Registers.Errors} failed; exact afterwards: {writes.Exact}");

    var peakRssMb = PeakRssMegabytes(service.Id);
    var resultsFolder = Path.Combine(root, "bench", "results");
    Directory.CreateDirectory(resultsFolder);
    var plotName = smoke ? "smoke-growth.png" : "performance-growth.png";
    var plotPath = Path.Combine(smoke ? resultsFolder : Path.Combine(root, "docs"), plotName);
    GrowthPlot.Save(growth, plotPath);
    Progress($"wrote {plotPath}");
    var report = new BenchReport(
        DateTimeOffset.UtcNow, smoke ? "smoke" : "full", Environment.ProcessorCount, settings.Data, loadTime.TotalSeconds, peakRssMb,
        "ImageCatalog.Bench closed/open-loop generator (bench/ImageCatalog.Bench/LoadGenerator.cs)", results, growth, plotName, preparation,
        writes, settings.Connections, tuning);
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
}
finally
{
    foreach (var process in processes)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    await cluster.StopAsync(CancellationToken.None);
    Directory.Delete(folder, recursive: true);
}

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

static Process StartProcess(string assembly, string[] arguments, Dictionary<string, string> environment)
{
    var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(assembly)! };
    start.ArgumentList.Add(assembly);
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    foreach (var (name, value) in environment)
    {
        start.Environment[name] = value;
    }

    return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {assembly}.");
}

static async Task WaitForAsync(HttpClient http, string url)
{
    for (var attempt = 0; attempt < 300; attempt++)
    {
        try
        {
            using var response = await http.GetAsync(url);
            if (response.IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
        }

        await Task.Delay(200);
    }

    throw new TimeoutException($"{url} did not answer.");
}


// VmHWM: the peak resident set of the service process over the whole run.
static double PeakRssMegabytes(int pid) =>
    File.ReadLines($"/proc/{pid}/status")
        .Where(line => line.StartsWith("VmHWM:", StringComparison.Ordinal))
        .Select(line => double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024)
        .FirstOrDefault();

public sealed record BenchSettings(DataSet Data, TimeSpan WarmUp, TimeSpan Duration, int Connections);
