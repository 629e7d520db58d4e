using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImageCatalog.Infrastructure.Persistence;

/// <summary>
/// A local PostgreSQL cluster run with the installed server binaries (<c>initdb</c>, <c>pg_ctl</c>), listening on
/// 127.0.0.1 only. Used by the service's embedded mode and by the tests. PostgreSQL refuses to run as root, so a
/// root process runs the binaries as the <c>postgres</c> user on a folder that user owns.
/// </summary>
public sealed class PostgresCluster(string dataDirectory, int port, string? binDirectory, ILogger logger)
{
    private const string ServiceUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    public string DataDirectory { get; } = Path.GetFullPath(dataDirectory);

    public int Port { get; } = port == 0 ? LoopbackPort.Free() : port;

    /// <summary>Make the cluster durable (fsync on), or fast for throwaway test data.</summary>
    public bool Durable { get; init; } = true;

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = ServiceUser,
            Database = database,
        }.ConnectionString;

    /// <summary>Creates the cluster if the folder holds none, stops a server left running by an earlier process, starts it.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var initialised = File.Exists(Path.Combine(DataDirectory, "PG_VERSION"));
        if (!initialised)
        {
            PrepareDirectory();
            logger.LogInformation("Creating a PostgreSQL cluster in {DataDirectory}", DataDirectory);
            await RunAsync(
                "initdb",
                ["-D", DataDirectory, "-U", ServiceUser, "--auth=trust", "-E", "UTF8", "--locale=C"],
                cancellationToken);
        }
        else if (await IsRunningAsync(cancellationToken))
        {
            logger.LogWarning("A PostgreSQL server from an earlier run still uses {DataDirectory}; stopping it", DataDirectory);
            await StopAsync(cancellationToken);
        }

        var settings = $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''";
        if (!Durable)
        {
            settings += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        }

        await RunAsync(
            "pg_ctl",
            ["start", "-D", DataDirectory, "-l", Path.Combine(DataDirectory, "server.log"), "-w", "-t", "60", "-o", settings],
            cancellationToken);
        logger.LogInformation("PostgreSQL is listening on 127.0.0.1:{Port}", Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken) =>
        await RunAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"], cancellationToken);

    /// <summary>Stops the server at once, as a crash would (<c>pg_ctl stop -m immediate</c>): the next start replays the WAL.</summary>
    public async Task StopImmediatelyAsync(CancellationToken cancellationToken) =>
        await RunAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "60"], cancellationToken);

    public async Task<bool> IsRunningAsync(CancellationToken cancellationToken) =>
        await TryRunAsync("pg_ctl", ["status", "-D", DataDirectory], cancellationToken);

    /// <summary>
    /// A streaming replica of this running cluster in <paramref name="standbyDirectory"/>, which must not exist yet: a base
    /// backup with the replication settings written for it (<c>pg_basebackup -R</c>). Started with <see cref="StartAsync"/>,
    /// it runs as a hot standby on a port of its own.
    /// </summary>
    public async Task<PostgresCluster> CreateStandbyAsync(string standbyDirectory, CancellationToken cancellationToken)
    {
        var standby = new PostgresCluster(standbyDirectory, port: 0, binDirectory, logger) { Durable = Durable };
        await RunAsync(
            "pg_basebackup",
            ["--pgdata", standby.DataDirectory, "--write-recovery-conf", "--wal-method=stream", "--checkpoint=fast",
             "--host=127.0.0.1", $"--port={Port}", $"--username={ServiceUser}"],
            cancellationToken);
        return standby;
    }

    /// <summary>
    /// Waits until the standby behind <paramref name="standby"/> has replayed everything the primary behind
    /// <paramref name="primary"/> had written when this was called; a <see cref="TimeoutException"/> after <paramref name="limit"/>.
    /// </summary>
    public static async Task WaitForReplayAsync(string primary, string standby, TimeSpan limit, CancellationToken cancellationToken)
    {
        await using var primaryConnection = new NpgsqlConnection(primary);
        await primaryConnection.OpenAsync(cancellationToken);
        await using var written = new NpgsqlCommand("SELECT pg_current_wal_lsn()::text", primaryConnection);
        var lsn = (string)(await written.ExecuteScalarAsync(cancellationToken))!;
        await using var standbyConnection = new NpgsqlConnection(standby);
        await standbyConnection.OpenAsync(cancellationToken);
        await using var replayed = new NpgsqlCommand("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", standbyConnection)
        {
            Parameters = { new() { Value = lsn } },
        };
        var clock = Stopwatch.StartNew();
        while (!(bool)(await replayed.ExecuteScalarAsync(cancellationToken))!)
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"The standby did not replay the primary's WAL up to {lsn} within {limit}.");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    public async Task CreateDatabaseIfMissingAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = database } },
        };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            var quoted = "\"" + database.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private void PrepareDirectory()
    {
        Directory.CreateDirectory(DataDirectory);
        if (Environment.IsPrivilegedProcess)
        {
            RunChecked("chown", [$"{ServiceUser}:{ServiceUser}", DataDirectory]);
        }
    }

    private async Task RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await ExecuteAsync(tool, arguments, cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {arguments[0]} failed with exit code {exitCode}: {output.Trim()}");
        }
    }

    private async Task<bool> TryRunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        (await ExecuteAsync(tool, arguments, cancellationToken)).ExitCode == 0;

    private async Task<(int ExitCode, string Output)> ExecuteAsync(
        string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var executable = ResolveTool(tool);
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Environment.IsPrivilegedProcess)
        {
            start.FileName = "runuser";
            foreach (var argument in (string[])["-u", ServiceUser, "--", executable])
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = executable;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static void RunChecked(string executable, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{executable} failed with exit code {process.ExitCode}: {error.Trim()}");
        }
    }

    private string ResolveTool(string tool)
    {
        if (!string.IsNullOrWhiteSpace(binDirectory))
        {
            return Path.Combine(binDirectory, tool);
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, tool))
            .FirstOrDefault(File.Exists);
        if (onPath is not null)
        {
            return onPath;
        }

        // Debian and Ubuntu keep the server binaries off PATH, one folder per major version.
        const string debianRoot = "/usr/lib/postgresql";
        var debian = Directory.Exists(debianRoot)
            ? Directory.GetDirectories(debianRoot)
                .Select(folder => Path.Combine(folder, "bin", tool))
                .Where(File.Exists)
                .OrderByDescending(path => path, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;
        return debian ?? throw new InvalidOperationException(
            $"The PostgreSQL server binary '{tool}' was not found on PATH or under {debianRoot}; "
            + "install PostgreSQL or set Database:PostgresBinDirectory.");
    }

}
