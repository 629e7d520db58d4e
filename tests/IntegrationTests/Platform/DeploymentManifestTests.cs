using System.Collections;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using ImageCatalog.Api.Authentication;
using ImageCatalog.Api.Health;
using ImageCatalog.Api.Http;
using ImageCatalog.Api.Telemetry;
using ImageCatalog.Infrastructure.Persistence;
using ImageCatalog.IntegrationTests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace ImageCatalog.IntegrationTests.Platform;

/// <summary>
/// Renders each kustomize overlay with <c>kubectl kustomize</c> and checks what the platform relies on against the
/// service itself: its health paths and port, its configuration keys, its shutdown timing and its migrate command.
/// </summary>
[TestFixtureSource(nameof(Overlays))]
public sealed class DeploymentManifestTests(string overlay)
{
    public static readonly string[] Overlays = ["dev", "prod"];

    // Framework keys the service reads besides its own sections.
    private static readonly string[] FrameworkKeys = ["ASPNETCORE_ENVIRONMENT", "ASPNETCORE_HTTP_PORTS"];

    private static readonly Dictionary<string, Type> OptionSections = new(StringComparer.OrdinalIgnoreCase)
    {
        [DatabaseOptions.SectionName] = typeof(DatabaseOptions),
        [AuthOptions.SectionName] = typeof(AuthOptions),
        [RateLimitOptions.SectionName] = typeof(RateLimitOptions),
        [ShutdownOptions.SectionName] = typeof(ShutdownOptions),
        [TelemetryOptions.SectionName] = typeof(TelemetryOptions),
    };

    private List<JsonObject> _resources = null!;

    private JsonObject Deployment => Single("Deployment");

    private JsonObject Job => Single("Job");

    private JsonObject Container => (JsonObject)Deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;

    private Dictionary<string, string> Settings =>
        ((JsonObject)Single("ConfigMap")["data"]!).ToDictionary(pair => pair.Key, pair => (string)pair.Value!);

    [OneTimeSetUp]
    public async Task RenderAsync()
    {
        var root = Repository.Root;
        var start = new ProcessStartInfo("kubectl", ["kustomize", Path.Combine(root, "deploy", "k8s", "overlays", overlay)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        System.Diagnostics.Process process;
        try
        {
            process = System.Diagnostics.Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Ignore("kubectl is not installed here: the manifests cannot be rendered (apt-get install kubectl).");
            return;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.That(process.ExitCode, Is.Zero, await error);
            _resources = ParseYaml(await output);
        }
    }

    [Test]
    public void Every_piece_the_platform_needs_is_there() =>
        Assert.That(
            _resources.Select(resource => (string)resource["kind"]!),
            Is.SupersetOf(new[]
            {
                "Deployment", "Service", "ConfigMap", "ServiceAccount", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                "NetworkPolicy", "Job", "ServiceMonitor",
            }));

    [Test]
    public void Probes_ask_the_service_s_health_endpoints_on_its_listening_port()
    {
        var port = (JsonObject)Container["ports"]![0]!;
        Assert.That((string)port["name"]!, Is.EqualTo("http"));
        Assert.That(port["containerPort"]!.ToString(), Is.EqualTo(Settings["ASPNETCORE_HTTP_PORTS"]), "the container port is where Kestrel listens");
        Assert.Multiple(() =>
        {
            foreach (var (probe, path) in new[] { ("startupProbe", HealthEndpoints.LivePath), ("livenessProbe", HealthEndpoints.LivePath), ("readinessProbe", HealthEndpoints.ReadyPath) })
            {
                Assert.That((string?)Container[probe]?["httpGet"]?["path"], Is.EqualTo(path), probe);
                Assert.That((string?)Container[probe]?["httpGet"]?["port"], Is.EqualTo("http"), probe);
            }
        });
        var service = Single("Service");
        Assert.That((string)service["spec"]!["ports"]![0]!["targetPort"]!, Is.EqualTo("http"));
        Assert.That((string)Single("ServiceMonitor")["spec"]!["endpoints"]![0]!["path"]!, Is.EqualTo(TelemetrySetup.MetricsPath));
    }

    [Test]
    public void Every_environment_variable_is_a_configuration_key_the_service_reads()
    {
        var names = Settings.Keys
            .Concat(EnvironmentOf(Container).Select(variable => (string)variable["name"]!))
            .Concat(EnvironmentOf(JobContainer()).Select(variable => (string)variable["name"]!))
            .Distinct()
            .ToList();

        Assert.That(names, Is.Not.Empty);
        Assert.That(names.Where(name => !IsServiceKey(name)), Is.Empty);
    }

    [Test]
    public void Secrets_are_only_referenced_never_written()
    {
        Assert.That(_resources.Where(resource => (string)resource["kind"]! == "Secret"), Is.Empty, "no Secret in the manifests");
        var sensitive = EnvironmentOf(Container).Concat(EnvironmentOf(JobContainer()))
            .Where(variable => ((string)variable["name"]!).Contains("ConnectionString", StringComparison.Ordinal)
                || ((string)variable["name"]!).EndsWith("Key", StringComparison.Ordinal))
            .ToList();
        Assert.That(sensitive, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var variable in sensitive)
            {
                Assert.That(variable["value"], Is.Null, (string)variable["name"]!);
                Assert.That(variable["valueFrom"]?["secretKeyRef"]?["name"], Is.Not.Null, (string)variable["name"]!);
            }
        });
        Assert.That(Settings.Keys.Where(key => key.Contains("ConnectionString", StringComparison.Ordinal) || key.EndsWith("SecretKey", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Pods_run_locked_down()
    {
        foreach (var (pod, container) in new[] { (Deployment["spec"]!["template"]!["spec"]!, Container), (Job["spec"]!["template"]!["spec"]!, JobContainer()) })
        {
            Assert.Multiple(() =>
            {
                Assert.That((bool?)pod["securityContext"]?["runAsNonRoot"], Is.True);
                Assert.That((string?)pod["securityContext"]?["seccompProfile"]?["type"], Is.EqualTo("RuntimeDefault"));
                Assert.That((bool?)pod["automountServiceAccountToken"], Is.False);
                var security = container["securityContext"]!;
                Assert.That((bool?)security["runAsNonRoot"], Is.True);
                Assert.That((bool?)security["readOnlyRootFilesystem"], Is.True);
                Assert.That((bool?)security["allowPrivilegeEscalation"], Is.False);
                Assert.That(security["capabilities"]?["drop"]?.AsArray().Select(value => (string?)value), Is.EqualTo(new[] { "ALL" }));
                Assert.That(container["resources"]?["requests"]?["cpu"], Is.Not.Null);
                Assert.That(container["resources"]?["limits"]?["memory"], Is.Not.Null);
            });
        }
    }

    [Test]
    public void The_grace_period_outlasts_the_pause_the_drain_and_the_shutdown_timeout()
    {
        var defaults = new ShutdownOptions();
        var drain = Settings.TryGetValue("Shutdown__DrainDelay", out var d) ? TimeSpan.Parse(d, System.Globalization.CultureInfo.InvariantCulture) : defaults.DrainDelay;
        var timeout = Settings.TryGetValue("Shutdown__Timeout", out var t) ? TimeSpan.Parse(t, System.Globalization.CultureInfo.InvariantCulture) : defaults.Timeout;
        var pause = TimeSpan.FromSeconds(int.Parse(Container["lifecycle"]!["preStop"]!["sleep"]!["seconds"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture));
        var grace = TimeSpan.FromSeconds(int.Parse(Deployment["spec"]!["template"]!["spec"]!["terminationGracePeriodSeconds"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture));

        Assert.That(pause, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(grace, Is.GreaterThan(pause + drain + timeout));
    }

    [Test]
    public void The_migration_job_runs_the_service_s_migrate_command_and_pods_do_not_migrate()
    {
        Assert.That(JobContainer()["args"]!.AsArray().Select(value => (string?)value), Is.EqualTo(new[] { MigrateCommand.Name }));
        Assert.That((string)JobContainer()["image"]!, Is.EqualTo((string)Container["image"]!));
        Assert.That(Settings["Database__MigrateOnStartup"], Is.EqualTo("false"));
    }

    [Test]
    public void Selectors_pick_the_service_s_pods_and_not_the_migration_s()
    {
        var podLabels = (JsonObject)Deployment["spec"]!["template"]!["metadata"]!["labels"]!;
        var jobLabels = (JsonObject)Job["spec"]!["template"]!["metadata"]!["labels"]!;
        var selectors = new[]
        {
            (JsonObject)Deployment["spec"]!["selector"]!["matchLabels"]!,
            (JsonObject)Single("Service")["spec"]!["selector"]!,
            (JsonObject)Single("PodDisruptionBudget")["spec"]!["selector"]!["matchLabels"]!,
        };
        Assert.Multiple(() =>
        {
            foreach (var selector in selectors)
            {
                Assert.That(Matches(selector, podLabels), Is.True, selector.ToJsonString());
                Assert.That(Matches(selector, jobLabels), Is.False, selector.ToJsonString());
            }

            Assert.That(Matches((JsonObject)Single("NetworkPolicy")["spec"]!["podSelector"]!["matchLabels"]!, podLabels), Is.True);
        });
    }

    private static bool Matches(JsonObject selector, JsonObject labels) =>
        selector.Count > 0 && selector.All(pair => labels.TryGetPropertyValue(pair.Key, out var value) && (string?)value == (string?)pair.Value);

    private JsonObject JobContainer() => (JsonObject)Job["spec"]!["template"]!["spec"]!["containers"]![0]!;

    private static IEnumerable<JsonObject> EnvironmentOf(JsonObject container) =>
        container["env"]?.AsArray().Cast<JsonObject>() ?? [];

    private JsonObject Single(string kind) => _resources.Single(resource => (string)resource["kind"]! == kind);

    /// <summary>A name the service binds: a framework key, a log level, the console format, or a property path of one of its option sections.</summary>
    private static bool IsServiceKey(string name)
    {
        if (FrameworkKeys.Contains(name) || name.StartsWith("Logging__LogLevel__", StringComparison.Ordinal))
        {
            return true;
        }

        var path = name.Split("__");
        if (!OptionSections.TryGetValue(path[0], out var type))
        {
            return false;
        }

        foreach (var segment in path[1..])
        {
            if (int.TryParse(segment, out _) && ElementType(type) is { } element)
            {
                type = element;
                continue;
            }

            var property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is not { CanWrite: true })
            {
                return false;
            }

            type = property.PropertyType;
        }

        return true;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0]
        : null;

    private static List<JsonObject> ParseYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(document => (JsonObject)ToJson(document.RootNode)!).ToList();
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair =>
            new KeyValuePair<string, JsonNode?>(((YamlScalarNode)pair.Key).Value!, ToJson(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Value: "true" or "false" } scalar when scalar.Style == YamlDotNet.Core.ScalarStyle.Plain => JsonValue.Create(scalar.Value == "true"),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };
}
