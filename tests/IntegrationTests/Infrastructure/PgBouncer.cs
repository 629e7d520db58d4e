using System.Diagnostics;
using System.Globalization;
using ImageCatalog.Infrastructure;
using Npgsql;

namespace ImageCatalog.IntegrationTests.Infrastructure;

/// <summary>
/// Debian's PgBouncer in transaction mode in front of a database, listening on 127.0.0.1, with few server connections
/// so that a client's transactions really land on different server sessions. Its folder and process go on dispose.
/// PgBouncer refuses to run as root, so a root test run starts it as the <c>postgres</c> user.
/// </summary>
public sealed class PgBouncer : IAsyncDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly string _folder;

    private PgBouncer(System.Diagnostics.Process process, string folder, string connectionString)
    {
        _process = process;
        _folder = folder;
        ConnectionString = connectionString;
    }

    /// <summary>Where a client reaches the database through the pooler (same database name and user as the target).</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// Starts PgBouncer for <paramref name="targetConnectionString"/>'s database. Server sessions get the service's
    /// statement timeout from <c>connect_query</c>, as a deployment behind a transaction pooler sets it.
    /// </summary>
    public static async Task<PgBouncer> StartAsync(string targetConnectionString, int serverConnections)
    {
        var executable = new[] { "/usr/sbin/pgbouncer", "/usr/bin/pgbouncer" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("PgBouncer is not installed: apt-get install pgbouncer (README, Run and test).");

        var target = new NpgsqlConnectionStringBuilder(targetConnectionString);
        var port = LoopbackPort.Free();
        // Created with the default mode, so that the postgres user can read it when a root run starts PgBouncer as that user.
        var folder = Path.Combine(Path.GetTempPath(), "imagecatalog-pgbouncer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var password = string.IsNullOrEmpty(target.Password) ? "" : $" password={target.Password}";
        File.WriteAllText(Path.Combine(folder, "users.txt"), $"\"{target.Username}\" \"\"\n");
        File.WriteAllText(Path.Combine(folder, "pgbouncer.ini"), string.Create(CultureInfo.InvariantCulture, $"""
            [databases]
            {target.Database} = host={target.Host} port={target.Port} dbname={target.Database} user={target.Username}{password} connect_query='SET statement_timeout = 5000'

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {port}
            unix_socket_dir =
            auth_type = trust
            auth_file = {Path.Combine(folder, "users.txt")}
            pool_mode = transaction
            default_pool_size = {serverConnections}
            min_pool_size = {serverConnections}
            max_client_conn = 200
            server_reset_query =
            server_round_robin = 1
            ignore_startup_parameters = options
            """));

        var start = new ProcessStartInfo
        {
            FileName = Environment.IsPrivilegedProcess ? "runuser" : executable,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Environment.IsPrivilegedProcess
            ? ["-u", "postgres", "--", executable, Path.Combine(folder, "pgbouncer.ini")]
            : new[] { Path.Combine(folder, "pgbouncer.ini") })
        {
            start.ArgumentList.Add(argument);
        }

        var process = System.Diagnostics.Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var pooled = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Database = target.Database,
            Username = target.Username,
        };
        var bouncer = new PgBouncer(process, folder, pooled.ConnectionString);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(pooled.ConnectionString + ";Pooling=false");
                await connection.OpenAsync();
                return bouncer;
            }
            catch (NpgsqlException) when (clock.Elapsed < TimeSpan.FromSeconds(20) && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (NpgsqlException exception)
            {
                await bouncer.DisposeAsync();
                string log;
                lock (output)
                {
                    log = output.ToString();
                }

                throw new InvalidOperationException($"PgBouncer did not start: {exception.Message}\n{log}", exception);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
