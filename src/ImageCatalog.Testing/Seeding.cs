using System.Globalization;
using ImageCatalog.Client;

namespace ImageCatalog.Testing;

/// <summary>One image version to register, built fluently: <c>new ImageBuilder("team", "app").Tagged("2.0").ForService("TRAIN")</c>.</summary>
public sealed class ImageBuilder(string @namespace, string name)
{
    private string _tag = "1.0";
    private string _registry = "swr.example.com";
    private string? _serviceType;
    private string? _workspaceId;
    private string? _description;
    private readonly List<string> _tags = [];

    public ImageBuilder Tagged(string tag)
    {
        _tag = tag;
        return this;
    }

    public ImageBuilder InRegistry(string registry)
    {
        _registry = registry;
        return this;
    }

    /// <summary>COMMON, INFERENCE, TRAIN, DEV or UNKNOWN.</summary>
    public ImageBuilder ForService(string serviceType)
    {
        _serviceType = serviceType;
        return this;
    }

    public ImageBuilder InWorkspace(string workspaceId)
    {
        _workspaceId = workspaceId;
        return this;
    }

    public ImageBuilder Described(string description)
    {
        _description = description;
        return this;
    }

    public ImageBuilder WithTags(params string[] tags)
    {
        _tags.AddRange(tags);
        return this;
    }

    public RegisterImageRequest Build() => new($"{_registry}/{@namespace}/{name}:{_tag}")
    {
        ServiceType = _serviceType,
        WorkspaceId = _workspaceId,
        Description = _description,
        Tags = _tags.Count == 0 ? null : [.. _tags],
    };
}

/// <summary>What to register in one project; <see cref="RunAsync"/> registers it in order, through the API.</summary>
public sealed class ProjectSeed(ImageCatalogClient client, string projectId)
{
    private readonly List<RegisterImageRequest> _images = [];

    public ProjectSeed Image(ImageBuilder image)
    {
        _images.Add(image.Build());
        return this;
    }

    /// <summary><paramref name="groups"/> groups <c>group-1 ... group-N</c> in <paramref name="namespace"/>, each with tags 1.0 ... M.0.</summary>
    public ProjectSeed Groups(int groups, int versions, string @namespace = "seeded")
    {
        for (var group = 1; group <= groups; group++)
        {
            for (var version = 1; version <= versions; version++)
            {
                Image(new ImageBuilder(@namespace, $"group-{group}").Tagged(string.Create(CultureInfo.InvariantCulture, $"{version}.0")));
            }
        }

        return this;
    }

    /// <summary>Registers everything built so far and answers the registered images.</summary>
    public async Task<IReadOnlyList<Image>> RunAsync(CancellationToken cancellationToken = default)
    {
        var registered = new List<Image>(_images.Count);
        foreach (var image in _images)
        {
            registered.Add(await client.RegisterImageAsync(projectId, image, cancellationToken: cancellationToken));
        }

        _images.Clear();
        return registered;
    }
}
