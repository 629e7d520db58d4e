using System.Text;
using System.Text.Json;
using SdkSigningHandler = ImageCatalog.Client.SdkSigningHandler;

namespace ImageCatalog.IntegrationTests.Infrastructure;

/// <summary>The tests' own signer reproduces the signatures of the official SDK, so the HTTP tests sign as the SDK does.</summary>
public sealed class SignerVectorTests
{
    private sealed record Vector(string Method, string Target, string[][] Headers, string Body, string SecretKey, string Signature);

    private sealed record VectorFile(Vector[] Vectors);

    [Test]
    public void Signs_every_sdk_vector_as_the_sdk_did()
    {
        var file = JsonSerializer.Deserialize<VectorFile>(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Authentication", "sdk-signature-vectors.json")),
            new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;

        Assert.That(file.Vectors, Has.Length.EqualTo(32));
        Assert.Multiple(() =>
        {
            foreach (var vector in file.Vectors)
            {
                string[] signed = ["host", "user-agent", "x-project-id", "x-sdk-date"];
                var headers = signed
                    .Select(name => (name, vector.Headers.Single(h => h[0].Equals(name, StringComparison.OrdinalIgnoreCase))[1]))
                    .ToList();
                var signature = SdkSigningHandler.Sign(
                    vector.SecretKey, vector.Method, new Uri("http://127.0.0.1" + vector.Target), headers, Encoding.UTF8.GetBytes(vector.Body));
                Assert.That(signature, Is.EqualTo(vector.Signature), $"{vector.Method} {vector.Target}");
            }
        });
    }
}
