using ImageCatalog.Infrastructure.Persistence;
using Npgsql;

namespace ImageCatalog.UnitTests.Infrastructure;

public sealed class DatabaseOptionsTests
{
    [Test]
    public void A_connection_string_without_a_pool_size_gets_the_configured_one()
    {
        var options = new DatabaseOptions { MaxPoolSize = 6 };

        var pooled = new NpgsqlConnectionStringBuilder(options.WithPoolSize("Host=db;Database=catalog"));

        Assert.That(pooled.MaxPoolSize, Is.EqualTo(6));
        Assert.That(pooled.Host, Is.EqualTo("db"));
    }

    [TestCase("Host=db;Maximum Pool Size=40")]
    [TestCase("Host=db;maxpoolsize=40")]
    public void A_pool_size_in_the_connection_string_wins(string connectionString)
    {
        var pooled = new NpgsqlConnectionStringBuilder(new DatabaseOptions().WithPoolSize(connectionString));

        Assert.That(pooled.MaxPoolSize, Is.EqualTo(40));
    }

    [Test]
    public void The_default_is_small_and_deliberate() =>
        Assert.That(new DatabaseOptions().MaxPoolSize, Is.EqualTo(DatabaseOptions.DefaultMaxPoolSize).And.LessThan(100));

    [Test]
    public void The_defaults_are_valid() => Assert.That(new DatabaseOptions().Validate(), Is.Empty);

    [TestCase(0)]
    [TestCase(-3)]
    [TestCase(DatabaseOptions.MaxMaxPoolSize + 1)]
    public void A_pool_size_out_of_range_is_named_by_its_key(int size) =>
        Assert.That(new DatabaseOptions { MaxPoolSize = size }.Validate(), Has.One.StartsWith("Database:MaxPoolSize must be from 1 to"));

    [Test]
    public void An_embedded_port_out_of_range_is_named_by_its_key() =>
        Assert.That(new DatabaseOptions { EmbeddedPort = 70_000 }.Validate(), Has.One.StartsWith("Database:EmbeddedPort"));

    [TestCase("Host=db;Pasword=hunter2-secret")]
    [TestCase("Host=db;Port=eighty;Password=hunter2-secret")]
    public void A_connection_string_that_cannot_be_read_is_named_without_its_secrets(string connectionString)
    {
        var failures = new DatabaseOptions { ConnectionString = connectionString }.Validate();

        Assert.That(failures, Has.One.StartsWith("Database:ConnectionString is not a valid Npgsql connection string"));
        Assert.That(failures, Has.None.Contains("hunter2"));
    }

    [Test]
    public void A_read_connection_string_that_cannot_be_read_is_named_without_its_secrets()
    {
        var failures = new DatabaseOptions
        {
            ConnectionString = "Host=primary",
            ReadConnectionString = "Host=replica;Pasword=hunter2-secret",
        }.Validate();

        Assert.That(failures, Has.One.StartsWith("Database:ReadConnectionString is not a valid Npgsql connection string"));
        Assert.That(failures, Has.None.Contains("hunter2"));
    }

    [Test]
    public void Replicas_and_a_pooler_need_a_database_of_the_deployment_s_own()
    {
        Assert.That(new DatabaseOptions { ReadConnectionString = "Host=replica" }.Validate(), Has.One.StartsWith("Database:ReadConnectionString"));
        Assert.That(new DatabaseOptions { TransactionPooling = true, MigrateOnStartup = false }.Validate(), Has.One.Contains("Database:TransactionPooling"));
    }

    [Test]
    public void Behind_a_transaction_pooler_migrations_cannot_run_at_start_up()
    {
        var options = new DatabaseOptions { ConnectionString = "Host=pgbouncer", TransactionPooling = true };

        Assert.That(options.Validate(), Has.One.StartsWith("Database:MigrateOnStartup must be false with Database:TransactionPooling"));
        options.MigrateOnStartup = false;
        Assert.That(options.Validate(), Is.Empty);
    }

    [Test]
    public void Behind_a_transaction_pooler_the_sessions_carry_no_startup_options_and_no_session_is_reset_on_return()
    {
        var direct = new NpgsqlConnectionStringBuilder(new DatabaseOptions().ForService("Host=db"));
        var pooled = new NpgsqlConnectionStringBuilder(
            new DatabaseOptions { ConnectionString = "Host=pgbouncer", TransactionPooling = true, MigrateOnStartup = false }.ForService("Host=pgbouncer"));

        Assert.Multiple(() =>
        {
            Assert.That(direct.Options, Does.Contain("statement_timeout"));
            Assert.That(direct.NoResetOnClose, Is.True);
            Assert.That(pooled.Options, Is.Null.Or.Empty);
            Assert.That(pooled.NoResetOnClose, Is.True);
        });
    }

    [Test]
    public void The_migrator_refuses_to_run_behind_a_transaction_pooler_before_it_connects()
    {
        // Nothing listens on port 1: a connection attempt would fail differently.
        const string unreachable = "Host=127.0.0.1;Port=1";
        using var dataSource = NpgsqlDataSource.Create(unreachable);
        var migrator = new DatabaseMigrator(
            dataSource, new DatabaseEndpoint(unreachable), Microsoft.Extensions.Logging.Abstractions.NullLogger<DatabaseMigrator>.Instance, transactionPooling: true);

        var refusal = Assert.ThrowsAsync<InvalidOperationException>(() => migrator.MigrateAsync(CancellationToken.None));

        Assert.That(refusal!.Message, Does.Contain("migrate command").And.Contain("Database:TransactionPooling=false"));
    }
}
