using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ImageCatalog.ContractTests;

/// <summary>
/// The built Api of this repository (same configuration as this suite) as a real process on a free loopback port, in
/// its embedded mode: it creates and later stops a PostgreSQL cluster of its own in a temporary folder.
/// </summary>
public sealed class LocalService : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _output = new();

    private LocalService(Process process, string folder, Uri baseAddress)
    {
        _process = process;
        _folder = folder;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public static async Task<LocalService> StartAsync(string accessKey, string secretKey)
    {
        var folder = Path.Combine(Path.GetTempPath(), "imagecatalog-contract-" + Guid.NewGuid().ToString("N"));
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}/");
        var assembly = ApiAssembly();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { assembly, "--urls", baseAddress.ToString() })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Database__ConnectionString"] = "";
        start.Environment["Database__DataDirectory"] = Path.Combine(folder, "postgres");
        start.Environment["Auth__AccessKeys__0__AccessKey"] = accessKey;
        start.Environment["Auth__AccessKeys__0__SecretKey"] = secretKey;
        start.Environment["Auth__AccessKeys__0__Projects__0"] = "*";
        start.Environment["Auth__AccessKeys__0__Roles__0"] = "operator";
        // The suite runs its requests back to back from one credential.
        start.Environment["RateLimit__PermitsPerSecond"] = "100000";
        start.Environment["RateLimit__Burst"] = "100000";
        var service = new LocalService(Process.Start(start)!, folder, baseAddress);
        try
        {
            await service.WaitUntilReadyAsync();
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: the service drains, then stops its PostgreSQL.
            using (var terminate = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await terminate.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var ready = await probe.GetAsync("health/ready");
                if (ready.StatusCode == HttpStatusCode.OK)
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

        throw new TimeoutException($"The service was not ready within 2 minutes:\n{Output}");
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string ApiAssembly()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory);
        var root = bin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ImageCatalog.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"Outside the repository: set {ContractTarget.BaseUrlVariable} to the deployment to test.");
        }

        var path = Path.Combine(root.FullName, "src", "Api", "bin", bin.Parent!.Name, bin.Name, "ImageCatalog.Api.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("The Api is not built (dotnet build).", path);
    }
}
