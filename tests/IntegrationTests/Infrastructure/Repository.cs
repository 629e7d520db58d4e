namespace ImageCatalog.IntegrationTests.Infrastructure;

/// <summary>Paths in this repository, found from the test assembly's folder.</summary>
public static class Repository
{
    /// <summary>The folder of ImageCatalog.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// <paramref name="assemblyFile"/> in the build output of the project in <paramref name="projectFolder"/>, in the
    /// configuration and framework this test assembly was built for.
    /// </summary>
    public static string BuildOutput(string projectFolder, string assemblyFile)
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory);
        var path = Path.Combine(Root, projectFolder, "bin", testBin.Parent!.Name, testBin.Name, assemblyFile);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{assemblyFile} is not built.", path);
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ImageCatalog.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ImageCatalog.sln not found above the test output.");
    }
}
