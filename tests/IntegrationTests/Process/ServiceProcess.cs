using System.Diagnostics;
using System.Net;
using System.Text;
using ImageCatalog.IntegrationTests.Infrastructure;

namespace ImageCatalog.IntegrationTests.Process;

/// <summary>
/// The built service run as a real process on Kestrel (what a newcomer's <c>dotnet run</c> and a deployment get),
/// with its output captured for assertions and failure messages.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(System.Diagnostics.Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The Api's own build output, found from this test assembly's folder (same configuration).</summary>
    public static string ApiAssemblyPath() => Repository.BuildOutput(Path.Combine("src", "Api"), "ImageCatalog.Api.dll");

    /// <summary>
    /// The settings most process tests start from: the database, migrations on or off, and rate limits out of the way
    /// of load; <paramref name="testTokens"/> makes the service take <see cref="ImageCatalogFactory.IssueToken"/>'s tokens.
    /// </summary>
    public static Dictionary<string, string> Settings(string connectionString, bool migrate = false, bool testTokens = false)
    {
        var settings = new Dictionary<string, string>
        {
            ["Database__ConnectionString"] = connectionString,
            ["Database__MigrateOnStartup"] = migrate ? "true" : "false",
            ["RateLimit__PermitsPerSecond"] = "1000000",
            ["RateLimit__Burst"] = "1000000",
        };
        if (testTokens)
        {
            settings["Auth__Jwt__SigningKeysFile"] = ImageCatalogFactory.TokenKeyFile;
            settings["Auth__Jwt__Issuer"] = ImageCatalogFactory.TokenIssuer;
            settings["Auth__Jwt__Audience"] = ImageCatalogFactory.TokenAudience;
        }

        return settings;
    }

    /// <summary>Starts the service on a free port; <paramref name="arguments"/> come after the assembly.</summary>
    public static ServiceProcess Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var port = ImageCatalog.Infrastructure.LoopbackPort.Free();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var process = StartDotnet(environment, [.. arguments, "--urls", baseAddress.ToString()]);
        return new ServiceProcess(process, baseAddress);
    }

    /// <summary>Runs the Api with <paramref name="arguments"/> to completion (for commands such as migrate).</summary>
    public static async Task<(int ExitCode, string Output)> RunToEndAsync(
        IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var process = StartDotnet(environment, arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Waits until <paramref name="path"/> answers 200, or fails with the service's output.</summary>
    public async Task WaitUntilServingAsync(HttpClient client, string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (HasExited)
            {
                Assert.Fail($"The service exited with code {ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(BaseAddress, path));
                if (response.StatusCode == HttpStatusCode.OK)
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

        Assert.Fail($"The service did not serve {path} within {timeout}:\n{Output}");
    }

    /// <summary>SIGTERM, as Kubernetes and systemd stop a service, then waits for the exit.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            await SignalTerminateAsync();
            return await WaitForExitAsync(TimeSpan.FromSeconds(60));
        }

        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM and returns at once; the service drains and stops on its own.</summary>
    public async Task SignalTerminateAsync()
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    /// <summary>SIGKILL, as a crash or an OOM kill ends it: no drain, no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private static System.Diagnostics.Process StartDotnet(IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments)
    {
        var assembly = ApiAssemblyPath();
        var start = new ProcessStartInfo("dotnet")
        {
            // The content root, where appsettings.json is.
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Nothing from the test run's own configuration may leak into the service.
        foreach (var key in start.Environment.Keys.Where(key => key.StartsWith("Database__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

}
