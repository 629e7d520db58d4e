using ImageCatalog.Client;

namespace ImageCatalog.Testing.ExampleTests;

/// <summary>
/// The consumer in this example: a training scheduler's component that asks ImageCatalog which image of a name to train
/// with (the highest tag among the TRAIN images). In a real service this class lives in its own project.
/// </summary>
public sealed class TrainingImagePicker(ImageCatalogClient catalog)
{
    public async Task<string?> PickAsync(string projectId, string name, CancellationToken cancellationToken = default)
    {
        var page = await catalog.ListImagesAsync(
            projectId,
            new ImageQuery { Name = name, NameFuzzyMatch = false, ServiceType = "TRAIN", SortKey = "tag", SortDir = "DESC", Limit = 1 },
            cancellationToken);
        return page.Data.SingleOrDefault()?.SwrPath;
    }
}
