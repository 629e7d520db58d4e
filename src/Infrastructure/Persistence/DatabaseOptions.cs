using System.Data.Common;
using Npgsql;

namespace ImageCatalog.Infrastructure.Persistence;

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>An Npgsql connection string. When empty, the service starts its own local PostgreSQL.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Where queries read when set: read replicas, usually several hosts with <c>Target Session Attributes=prefer-standby</c>
    /// and <c>Load Balance Hosts=true</c> (docs/scaling.md). Commands always use <see cref="ConnectionString"/>, the primary.
    /// </summary>
    public string? ReadConnectionString { get; set; }

    /// <summary>
    /// The connection strings lead to a pooler in transaction mode (PgBouncer before 1.21): the service then prepares no
    /// statement, sends no session settings (the pooler or the database role sets <c>statement_timeout</c>) and skips
    /// Npgsql's reset on close. Migrations need a session of their own, so they run with <c>migrate</c> against the
    /// primary directly.
    /// </summary>
    public bool TransactionPooling { get; set; }

    /// <summary>Where the embedded PostgreSQL keeps its cluster; relative paths are taken from the working directory.</summary>
    public string DataDirectory { get; set; } = Path.Combine(".data", "postgres");

    /// <summary>The embedded cluster's TCP port on 127.0.0.1; 0 picks a free one at each start.</summary>
    public int EmbeddedPort { get; set; }

    /// <summary>The folder of initdb and pg_ctl; when empty they are looked up on PATH and under /usr/lib/postgresql.</summary>
    public string? PostgresBinDirectory { get; set; }

    /// <summary>
    /// The pool's size when the connection string does not set <c>Maximum Pool Size</c> itself. Small on purpose:
    /// a few busy connections per core of the database keep it fastest, and a burst then queues in the pool
    /// instead of piling backends onto PostgreSQL (docs/performance.md, Tuning). Npgsql's own default is 100.
    /// </summary>
    public int MaxPoolSize { get; set; } = DefaultMaxPoolSize;

    public const int DefaultMaxPoolSize = 8;

    public const int MaxMaxPoolSize = 1024;

    /// <summary>How long a command may run before Npgsql gives up on it (unless the connection string sets <c>Command Timeout</c>).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// PostgreSQL's <c>statement_timeout</c> for the service's sessions: the server itself stops a statement after this
    /// long, before the client's <see cref="CommandTimeout"/>, and the connection stays usable. Migrations are exempt.
    /// </summary>
    public TimeSpan StatementTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long opening a connection may take (unless the connection string sets <c>Timeout</c>).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Apply pending migrations when the service starts (deployments may run <c>migrate</c> instead).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>The project that the embedded database's demo data belongs to.</summary>
    public string DemoProjectId { get; set; } = "0123456789abcdef0123456789abcdef";

    public bool UsesEmbeddedServer => string.IsNullOrWhiteSpace(ConnectionString);

    public bool UsesReadReplicas => !string.IsNullOrWhiteSpace(ReadConnectionString);

    /// <summary>The rules the binder cannot check, each failure naming its key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var failures = new List<string>();
        if (MaxPoolSize is < 1 or > MaxMaxPoolSize)
        {
            failures.Add($"{SectionName}:{nameof(MaxPoolSize)} must be from 1 to {MaxMaxPoolSize}, not {MaxPoolSize}");
        }

        foreach (var (key, value, max) in new[]
        {
            (nameof(CommandTimeout), CommandTimeout, TimeSpan.FromMinutes(10)),
            (nameof(StatementTimeout), StatementTimeout, TimeSpan.FromMinutes(10)),
            (nameof(ConnectTimeout), ConnectTimeout, TimeSpan.FromMinutes(1)),
        })
        {
            if (value < TimeSpan.FromSeconds(1) || value > max)
            {
                failures.Add($"{SectionName}:{key} must be from 00:00:01 to {max:c}, not {value:c}");
            }
        }

        if (EmbeddedPort is < 0 or > 65535)
        {
            failures.Add($"{SectionName}:{nameof(EmbeddedPort)} must be from 0 to 65535, not {EmbeddedPort}");
        }

        foreach (var (key, value) in new[] { (nameof(ConnectionString), ConnectionString), (nameof(ReadConnectionString), ReadConnectionString) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            try
            {
                _ = new NpgsqlConnectionStringBuilder(value);
            }
            catch (Exception exception) when (exception is ArgumentException or FormatException)
            {
                // Npgsql's own message names the keyword, not the value: the string may hold a password.
                failures.Add($"{SectionName}:{key} is not a valid Npgsql connection string ({exception.Message})");
            }
        }

        if (UsesEmbeddedServer && (UsesReadReplicas || TransactionPooling))
        {
            failures.Add(
                $"{SectionName}:{nameof(ReadConnectionString)} and {SectionName}:{nameof(TransactionPooling)} need "
                + $"{SectionName}:{nameof(ConnectionString)}: the embedded server has no replicas and no pooler");
        }

        if (TransactionPooling && MigrateOnStartup)
        {
            failures.Add(
                $"{SectionName}:{nameof(MigrateOnStartup)} must be false with {SectionName}:{nameof(TransactionPooling)}: "
                + "migrations hold a session lock, so run the migrate command against the primary directly");
        }

        return failures;
    }

    /// <summary>
    /// The service's own sessions: <see cref="WithPoolSize"/>, the timeouts the connection string leaves unset, the
    /// server-side <see cref="StatementTimeout"/> (left to the pooler with <see cref="TransactionPooling"/>), and no
    /// reset when a connection returns to the pool. Npgsql's reset (with prepared statements: RESET ALL, CLOSE ALL,
    /// UNLISTEN *, pg_advisory_unlock_all(), DISCARD SEQUENCES, DISCARD TEMP) rides on the next command of every
    /// request, about a tenth of a small read's database time (docs/performance.md), and the service's sessions change
    /// no state for it to undo: the one that does, the migrator's, resets what it set itself.
    /// </summary>
    public string ForService(string connectionString)
    {
        var given = Keywords(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(WithPoolSize(connectionString)) { NoResetOnClose = true };
        if (!given.Contains("COMMANDTIMEOUT"))
        {
            builder.CommandTimeout = (int)Math.Ceiling(CommandTimeout.TotalSeconds);
        }

        if (!given.Contains("TIMEOUT"))
        {
            builder.Timeout = (int)Math.Ceiling(ConnectTimeout.TotalSeconds);
        }

        if (!TransactionPooling)
        {
            // Behind a pooler each transaction may land on another server session, which it cannot pass startup options on.
            builder.Options = $"{builder.Options} -c statement_timeout={(long)StatementTimeout.TotalMilliseconds}".Trim();
        }

        return builder.ConnectionString;
    }

    private static HashSet<string> Keywords(string connectionString) =>
    [
        .. new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()),
    ];

    /// <summary><paramref name="connectionString"/> with <see cref="MaxPoolSize"/> unless it sets a pool size of its own.</summary>
    public string WithPoolSize(string connectionString)
    {
        // NpgsqlConnectionStringBuilder knows every keyword, set or not; the plain builder holds only those given.
        var given = Keywords(connectionString);
        var setsPoolSize = given.Contains("MAXIMUMPOOLSIZE") || given.Contains("MAXPOOLSIZE");
        return setsPoolSize
            ? connectionString
            : new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = MaxPoolSize }.ConnectionString;
    }
}
