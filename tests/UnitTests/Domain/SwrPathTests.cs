using ImageCatalog.Domain.Images;

namespace ImageCatalog.UnitTests.Domain;

public sealed class SwrPathTests
{
    [TestCase("swr.example.com/team/app:1", "swr.example.com", "team", "app", "1")]
    [TestCase("swr.cn-north-4.example.com:443/infer-model-dev/123:v1", "swr.cn-north-4.example.com:443", "infer-model-dev", "123", "v1")]
    [TestCase("10.0.0.1:5000/ns/py_torch.x:2.1-cuda", "10.0.0.1:5000", "ns", "py_torch.x", "2.1-cuda")]
    [TestCase("localhost:5000/ns/image:latest", "localhost:5000", "ns", "image", "latest")]
    public void Splits_registry_namespace_name_and_tag(string value, string registry, string @namespace, string name, string tag)
    {
        Assert.That(SwrPath.TryParse(value, out var path, out var error), Is.True, error);
        Assert.That(path, Is.EqualTo(new SwrPath(registry, @namespace, name, tag)));
        Assert.That(path!.ToString(), Is.EqualTo(value));
    }

    [TestCase(null, "16-2048")]
    [TestCase("a.b/c/d:1", "16-2048")]
    [TestCase("swr.example.com/team/app", "no tag")]
    [TestCase("swr.example.com/team/sub/app:1", "three")]
    [TestCase("swr.example.com/team-app:1xxx", "three")]
    [TestCase("swr.example.com:0/team/app:1", "registry")]
    [TestCase("swr.example.com:65536/team/app:1", "registry")]
    [TestCase("swr.example.com:/team/app:1", "registry")]
    [TestCase("-swr.example.com/team/app:1", "registry")]
    [TestCase("swr..example.com/team/app:1", "registry")]
    [TestCase("https://swr.example.com/team/app:1", "three")]
    [TestCase("swr.example.com/Team/app:1", "namespace")]
    [TestCase("swr.example.com/team/App:1", "image name")]
    [TestCase("swr.example.com/team/app:-1", "tag")]
    [TestCase("swr.example.com/team/app:", "tag")]
    [TestCase("swr.example.com/team/app@sha256:abcdef", "image name")]
    public void Says_which_part_is_wrong(string? value, string part)
    {
        Assert.That(SwrPath.TryParse(value, out var path, out var error), Is.False);
        Assert.That(path, Is.Null);
        Assert.That(error, Does.Contain(part));
    }

    [Test]
    public void Accepts_2048_characters_and_rejects_2049()
    {
        const string rest = "/team/app:1";
        var longest = Host(2048 - rest.Length) + rest;
        var tooLong = Host(2049 - rest.Length) + rest;

        Assert.That(longest, Has.Length.EqualTo(2048));
        Assert.That(SwrPath.TryParse(longest, out _, out var error), Is.True, error);
        Assert.That(SwrPath.TryParse(tooLong, out _, out error), Is.False);
        Assert.That(error, Does.Contain("16-2048"));
    }

    /// <summary>A valid host name of exactly <paramref name="length"/> characters: labels of at most 60 letters.</summary>
    private static string Host(int length)
    {
        var host = new System.Text.StringBuilder();
        var remaining = length;
        while (remaining > 0)
        {
            var take = Math.Min(60, remaining);
            if (remaining - take == 1)
            {
                take--;
            }

            host.Append('r', take);
            remaining -= take;
            if (remaining > 0)
            {
                host.Append('.');
                remaining--;
            }
        }

        return host.ToString();
    }

    [Test]
    public void Parse_throws_on_what_TryParse_rejects() =>
        Assert.Throws<FormatException>(() => SwrPath.Parse("not a path at all"));
}
