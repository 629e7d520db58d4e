using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using ImageCatalog.Infrastructure;
using ImageCatalog.Infrastructure.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace ImageCatalog.Bench;

/// <summary>
/// What a benchmark run stands on: a PostgreSQL cluster of its own, sized as a deployment sizes it; a token the
/// service processes accept; the kernel's autogroup scheduling off (<see cref="AutogroupScheduling"/>); and the
/// processes it starts. Dispose stops them all, removes the folders and puts the scheduling setting back.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    // shared_buffers as a deployment sizes it, not PostgreSQL's default of 128 MB: 2 GB holds the page indexes and the
    // groups, so the naive peer's sweeps through the images do not evict them between scenarios (docs/performance.md).
    public const string SharedBuffers = "2GB";

    private readonly List<Process> _processes = [];
    private readonly List<PostgresCluster> _clusters = [];
    private readonly List<string> _folders = [];
    private readonly string _root;
    private readonly string _keyFile;

    private readonly AutogroupScheduling _autogroup;

    private BenchHost(string root, string folder, PostgresCluster cluster, string keyFile, string token, AutogroupScheduling autogroup)
    {
        _root = root;
        _autogroup = autogroup;
        _keyFile = keyFile;
        Cluster = cluster;
        Token = token;
        _clusters.Add(cluster);
        _folders.Add(folder);
    }

    public PostgresCluster Cluster { get; }

    /// <summary>Autogroup scheduling as the run has it (<see cref="AutogroupScheduling.State"/>).</summary>
    public string Autogroup => _autogroup.State;

    /// <summary>A bearer token for every project with the operator role, from the key the services trust.</summary>
    public string Token { get; }

    public static async Task<BenchHost> StartAsync(string root, bool keepAutogroup, Action<string> progress)
    {
        var autogroup = AutogroupScheduling.Apply(keepAutogroup);
        progress($"autogroup scheduling: {autogroup.State}");
        var folder = Path.Combine(Path.GetTempPath(), "imagecatalog-bench-" + Guid.NewGuid().ToString("N"));
        var cluster = new PostgresCluster(Path.Combine(folder, "postgres"), port: 0, binDirectory: null, NullLogger.Instance);
        progress($"starting PostgreSQL in {folder}");
        await cluster.StartAsync(CancellationToken.None);
        await using (var connection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(cluster.ConnectionString("postgres")) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"ALTER SYSTEM SET shared_buffers = '{SharedBuffers}'", connection);
            await command.ExecuteNonQueryAsync();
        }

        await cluster.StopAsync(CancellationToken.None);
        await cluster.StartAsync(CancellationToken.None);
        progress($"PostgreSQL runs with shared_buffers = {SharedBuffers}");

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
        return new BenchHost(root, folder, cluster, keyFile, token, autogroup);
    }

    /// <summary>A streaming replica of <see cref="Cluster"/>, started, with the same settings (shared_buffers included).</summary>
    public async Task<PostgresCluster> StartStandbyAsync()
    {
        // Its own folder under the temporary one, which the postgres user can write to when the run is root's.
        var folder = Path.Combine(Path.GetTempPath(), "imagecatalog-bench-standby-" + Guid.NewGuid().ToString("N"));
        _folders.Add(folder);
        var standby = await Cluster.CreateStandbyAsync(folder, CancellationToken.None);
        _clusters.Add(standby);
        await standby.StartAsync(CancellationToken.None);
        return standby;
    }

    /// <summary>
    /// The built service (or the build at <paramref name="assembly"/>) on <paramref name="url"/> against
    /// <paramref name="settings"/>' database settings.
    /// </summary>
    public Process StartService(string url, Dictionary<string, string> settings, string? assembly = null)
    {
        var environment = new Dictionary<string, string>(settings)
        {
            ["Auth__Jwt__SigningKeysFile"] = _keyFile,
            ["Auth__Jwt__Issuer"] = "bench",
            ["Auth__Jwt__Audience"] = "imagecatalog",
            ["RateLimit__PermitsPerSecond"] = "10000000",
            ["RateLimit__Burst"] = "10000000",
            ["Logging__LogLevel__Default"] = "Warning",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        return StartProcess(
            assembly ?? Path.Combine(_root, "src", "Api", "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "ImageCatalog.Api.dll"),
            ["--urls", url],
            environment);
    }

    /// <summary>The built service (or the build at <paramref name="assembly"/>) on <paramref name="url"/> against <paramref name="connectionString"/>, with <paramref name="runtime"/>'s extra settings.</summary>
    public Process StartService(string url, string connectionString, Dictionary<string, string>? runtime = null, string? assembly = null) =>
        StartService(url, new Dictionary<string, string>(runtime ?? []) { ["Database__ConnectionString"] = connectionString }, assembly);

    /// <summary>The floor and the naive peer (<see cref="ReferenceServer"/>) in a process of their own: its base URL and process.</summary>
    public (string Url, Process Process) StartReferences(string connectionString)
    {
        var url = $"http://127.0.0.1:{LoopbackPort.Free()}";
        // The references run on the service's GC settings (its runtimeconfig), so that the ratios measure the layers;
        // the load generator in this process keeps the default server GC, so that its own pauses stay out of the latencies.
        var process = StartProcess(
            typeof(ReferenceServer).Assembly.Location,
            ["serve-references", connectionString, url],
            new() { ["DOTNET_gcServer"] = "0", ["DOTNET_gcConcurrent"] = "1" });
        return (url, process);
    }

    /// <summary>The load generator's client: up to 64 connections to a server, each request given <paramref name="timeout"/>.</summary>
    public static HttpClient CreateLoadClient(TimeSpan timeout) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { Timeout = timeout };

    /// <summary>Starts a process that this host stops and disposes with itself.</summary>
    public Process StartProcess(string assembly, string[] arguments, Dictionary<string, string> environment)
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

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {assembly}.");
        _processes.Add(process);
        return process;
    }

    /// <summary>A group-overview request for <paramref name="scenario"/>'s i-th query, with the token.</summary>
    public HttpRequestMessage GroupRequest(string url, Scenario scenario, int i) =>
        WithToken($"{url}/v1/{scenario.Project}/images/group?{scenario.Query(i)}");

    /// <summary>
    /// A request to the references at <paramref name="referenceUrl"/>: <paramref name="kind"/> is "floor" or "naive".
    /// It carries the service's token too, which the references ignore: both ends then handle the same request bytes,
    /// and the ratios charge the service for what it does with the token, not for receiving it.
    /// </summary>
    public HttpRequestMessage ReferenceRequest(string referenceUrl, string kind, Scenario scenario, int i) =>
        WithToken($"{referenceUrl}/{kind}/{scenario.Project}?{scenario.Query(i)}");

    private HttpRequestMessage WithToken(string uri)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, uri);
        message.Headers.Add("X-Auth-Token", Token);
        return message;
    }

    /// <summary>The bytes the references' process has allocated so far (its <c>/allocated</c>).</summary>
    public static async Task<double> ReferencesAllocatedAsync(HttpClient http, string referenceUrl) =>
        double.Parse(await http.GetStringAsync(referenceUrl + "/allocated"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Waits until the references started by <see cref="StartReferences"/> answer.</summary>
    public static Task WaitForReferencesAsync(HttpClient http, string referenceUrl) =>
        WaitForAsync(http, $"{referenceUrl}/floor/{DataSet.ProjectA}?limit=1");

    public static async Task WaitForAsync(HttpClient http, string url)
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

    /// <summary>VmHWM: the peak resident set of a process over its life so far.</summary>
    public static double PeakRssMegabytes(int pid) =>
        File.ReadLines($"/proc/{pid}/status")
            .Where(line => line.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(line => double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024)
            .FirstOrDefault();

    public static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await StopAsync(process);
            process.Dispose();
        }

        foreach (var cluster in _clusters)
        {
            if (await cluster.IsRunningAsync(CancellationToken.None))
            {
                await cluster.StopAsync(CancellationToken.None);
            }
        }

        foreach (var folder in _folders.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }

        _autogroup.Dispose();
    }
}
