namespace ImageCatalog.IntegrationTests.Process;

/// <summary>A bad configuration value stops the real process with a non-zero exit and one line naming the key.</summary>
public sealed class ConfigurationFailureTests
{
    public static IEnumerable<TestCaseData> BadValues()
    {
        yield return new TestCaseData("Database__MaxPoolSize", "lots", "Database:MaxPoolSize").SetName("A number that is not one");
        yield return new TestCaseData("Database__MaxPoolSize", "0", "Database:MaxPoolSize").SetName("A pool of nothing");
        yield return new TestCaseData("Shutdown__DrainDelay", "soon", "Shutdown:DrainDelay").SetName("A time span that is not one");
        yield return new TestCaseData("Shutdown__Timeout", "01:00:00", "Shutdown:Timeout").SetName("A shutdown timeout beyond its range");
        yield return new TestCaseData("RateLimit__Burst", "-", "RateLimit:Burst").SetName("A rate limit that is not a number");
        yield return new TestCaseData("RateLimit__PermitsPerSecond", "0", "RateLimit:PermitsPerSecond").SetName("A rate limit of nothing");
        yield return new TestCaseData("Overload__QueuePerConnection", "-1", "Overload:QueuePerConnection").SetName("A negative waiting line");
        yield return new TestCaseData("Overload__ConcurrencyPerConnection", "0", "Overload:ConcurrencyPerConnection").SetName("No request may run");
        yield return new TestCaseData("Auth__AccessKeys__0__AccessKey", "LONELY-KEY", "Auth:AccessKeys:0:SecretKey").SetName("An access key without its secret");
        yield return new TestCaseData("Auth__ClockSkew", "1.00:00:00", "Auth:ClockSkew").SetName("A clock skew of a day");
        yield return new TestCaseData("Database__ConnectionString", "Host=db;Nonsense=1", "Database:ConnectionString").SetName("A connection string with an unknown keyword");
        yield return new TestCaseData("Database__ReadConnectionString", "Host=replica;Nonsense=1", "Database:ReadConnectionString").SetName("A read connection string with an unknown keyword");
        yield return new TestCaseData("Database__TransactionPooling", "sometimes", "Database:TransactionPooling").SetName("A pooler switch that is not a boolean");
    }

    [TestCaseSource(nameof(BadValues))]
    public async Task Exits_non_zero_naming_the_key(string variable, string value, string key)
    {
        var environment = new Dictionary<string, string>
        {
            // Unreachable on purpose: the process must stop before it ever needs the database.
            ["Database__ConnectionString"] = "Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=1",
            ["Database__MigrateOnStartup"] = "false",
            [variable] = value,
        };

        var (exitCode, output) = await ServiceProcess.RunToEndAsync(environment);

        Assert.That(exitCode, Is.EqualTo(ImageCatalog.Api.StartupFailure.ExitCode), output);
        var line = output.Split('\n').Single(text => text.StartsWith("Invalid configuration: ", StringComparison.Ordinal));
        Assert.That(line, Does.Contain(key));
        Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
    }
}
