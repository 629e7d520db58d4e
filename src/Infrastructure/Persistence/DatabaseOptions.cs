using System.Data.Common;
using Npgsql;

namespace ImageCatalog.Infrastructure.Persistence;

/// <summary>The <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>An Npgsql connection string. When empty, the service starts its own local PostgreSQL.</summary>
    public string? ConnectionString { get; set; }

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

        if (!UsesEmbeddedServer)
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(ConnectionString);
            }
            catch (Exception exception) when (exception is ArgumentException or FormatException)
            {
                // Npgsql's own message names the keyword, not the value: the string may hold a password.
                failures.Add($"{SectionName}:{nameof(ConnectionString)} is not a valid Npgsql connection string ({exception.Message})");
            }
        }

        return failures;
    }

    /// <summary>
    /// The service's own sessions: <see cref="WithPoolSize"/>, the timeouts the connection string leaves unset, and
    /// the server-side <see cref="StatementTimeout"/>.
    /// </summary>
    public string ForService(string connectionString)
    {
        var given = Keywords(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(WithPoolSize(connectionString));
        if (!given.Contains("COMMANDTIMEOUT"))
        {
            builder.CommandTimeout = (int)Math.Ceiling(CommandTimeout.TotalSeconds);
        }

        if (!given.Contains("TIMEOUT"))
        {
            builder.Timeout = (int)Math.Ceiling(ConnectTimeout.TotalSeconds);
        }

        builder.Options = $"{builder.Options} -c statement_timeout={(long)StatementTimeout.TotalMilliseconds}".Trim();
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
