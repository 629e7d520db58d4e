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
}
