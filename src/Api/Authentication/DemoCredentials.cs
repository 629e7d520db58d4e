using System.Security.Cryptography;
using System.Text.Json;

namespace ImageCatalog.Api.Authentication;

/// <summary>
/// The embedded run mode's credentials: with no access keys configured, an AK/SK for the demo project is made once
/// and kept beside the embedded database (<c>.data/demo-credentials.json</c>), so that a newcomer can call the
/// service, and an SDK user can sign with it, without configuring anything.
/// </summary>
public sealed record DemoCredentials(string AccessKey, string SecretKey)
{
    public const string FileName = "demo-credentials.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static DemoCredentials LoadOrCreate(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (File.Exists(path))
        {
            return JsonSerializer.Deserialize<DemoCredentials>(File.ReadAllText(path))
                ?? throw new InvalidOperationException($"{path} is not a credentials file.");
        }

        var created = new DemoCredentials(
            "DEMO" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)));
        OwnerOnlyFile.Write(path, JsonSerializer.Serialize(created, Json));
        return created;
    }

    public AccessKeyCredential ForProject(string projectId) => new()
    {
        AccessKey = AccessKey,
        SecretKey = SecretKey,
        Projects = [projectId],
        Roles = [nameof(Role.Operator).ToLowerInvariant()],
    };
}
