namespace ImageCatalog.Domain.Images;

/// <summary>BUILD_IN images are platform images visible from every project; DEDICATED ones belong to one project and workspace.</summary>
public enum ImageType
{
    BuildIn,
    Dedicated,
}

public enum ImageStatus
{
    Active,
    Deleted,
}

public enum ImageArch
{
    X86_64,
    Aarch64,
}

public enum ImageOrigin
{
    Customize,
    ImageSave,
}

public enum ImageServiceType
{
    Common,
    Inference,
    Train,
    Dev,
    Unknown,
}

public enum ImageVisibility
{
    Private,
    Public,
    Hidden,
}

public enum ResourceCategory
{
    Cpu,
    Gpu,
    Ascend,
}

public enum DevService
{
    Notebook,
    Ssh,
    AiFlow,
    MaStudio,
    TensorBoard,
    WebIde,
}
