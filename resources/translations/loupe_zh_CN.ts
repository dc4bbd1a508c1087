<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
    <context>
        <name>BatchResultsModel</name>
        <message>
            <source>Class</source>
            <translation>类别</translation>
        </message>
        <message>
            <source>Confidence</source>
            <translation>置信度</translation>
        </message>
        <message>
            <source>Image</source>
            <translation>图像</translation>
        </message>
        <message>
            <source>Label</source>
            <translation>标签</translation>
        </message>
        <message>
            <source>Labelled {name}</source>
            <translation>已标注为 {name}</translation>
        </message>
        <message>
            <source>Not read: {reason}</source>
            <translation>未能读取：{reason}</translation>
        </message>
        <message>
            <source>The model's probability for its class</source>
            <translation>模型对其预测类别给出的概率</translation>
        </message>
        <message>
            <source>The three likeliest classes</source>
            <translation>可能性最高的三个类别</translation>
        </message>
        <message>
            <source>Top 3</source>
            <translation>前 3 名</translation>
        </message>
        <message>
            <source>Whether the prediction became the image's label</source>
            <translation>该预测是否已成为图像的标签</translation>
        </message>
        <message>
            <source>class {id}</source>
            <translation>类别 {id}</translation>
        </message>
        <message>
            <source>run {run} has no validation results to choose a threshold on</source>
            <translation>运行 {run} 没有验证结果，无法据此选择阈值</translation>
        </message>
        <message>
            <source>✓ Accepted as {name}</source>
            <translation>✓ 已采纳为 {name}</translation>
        </message>
    </context>
    <context>
        <name>BatchResultsPanel</name>
        <message>
            <source>Accept as labels</source>
            <translation>采纳为标签</translation>
        </message>
        <message>
            <source>All classes</source>
            <translation>所有类别</translation>
        </message>
        <message>
            <source>Among the results that do not need review, the model may be wrong at most (%):</source>
            <translation>在无需复查的结果中，模型最多允许出错的比例（%）：</translation>
        </message>
        <message>
            <source>Batch {id}</source>
            <translation>批次 {id}</translation>
        </message>
        <message>
            <source>Could not be read</source>
            <translation>无法读取</translation>
        </message>
        <message>
            <source>Delete batch…</source>
            <translation>删除批次…</translation>
        </message>
        <message>
            <source>Delete the batch?</source>
            <translation>删除该批次？</translation>
        </message>
        <message>
            <source>Export CSV…</source>
            <translation>导出 CSV…</translation>
        </message>
        <message>
            <source>For an error rate…</source>
            <translation>按错误率…</translation>
        </message>
        <message>
            <source>Forget this batch's results (the files and accepted labels stay)</source>
            <translation>移除此批次的结果（文件和已采纳的标签会保留）</translation>
        </message>
        <message>
            <source>Forget {batch}?

Its files, and labels accepted from it, stay.</source>
            <translation>移除 {batch}？

其文件以及从中采纳的标签都会保留。</translation>
        </message>
        <message>
            <source>Label the selected as {name}</source>
            <translation>将所选项标注为 {name}</translation>
        </message>
        <message>
            <source>Label the selected images with their predicted class; they join the project where they are (Ctrl+Z undoes). The arrow: label them as another class</source>
            <translation>将所选图像标注为其预测类别；图像留在原位置并加入项目（Ctrl+Z 可撤销）。点击箭头可将其标注为其他类别</translation>
        </message>
        <message>
            <source>Needs review</source>
            <translation>需要复查</translation>
        </message>
        <message>
            <source>Needs review, for an error rate</source>
            <translation>按错误率设置复查阈值</translation>
        </message>
        <message>
            <source>No batch yet: drop images with a trained model, or File ▸ Classify images… (Ctrl+Shift+K)</source>
            <translation>尚无批次：有已训练模型时拖入图像，或使用 文件 ▸ 分类图像…（Ctrl+Shift+K）</translation>
        </message>
        <message>
            <source>Only results the model is less sure of than the threshold</source>
            <translation>只显示模型置信度低于阈值的结果</translation>
        </message>
        <message>
            <source>Results under this confidence need review (remembered for this project; the Label workspace's Show list offers the images whose prediction is under it too)</source>
            <translation>置信度低于此值的结果需要复查（此项目会记住该值；标注工作区的“显示”列表也提供预测置信度低于它的图像）</translation>
        </message>
        <message>
            <source>Save this batch's results as a CSV file</source>
            <translation>将此批次的结果保存为 CSV 文件</translation>
        </message>
        <message>
            <source>Select the results to accept first</source>
            <translation>请先选择要采纳的结果</translation>
        </message>
        <message>
            <source>Set the threshold from the largest share of wrong results you accept among those not flagged, chosen on the run's validation images</source>
            <translation>根据您在未标记为需复查的结果中可接受的最大错误比例设置阈值，依据该运行的验证图像选定</translation>
        </message>
        <message>
            <source>Show the results of one class</source>
            <translation>只显示某一类别的结果</translation>
        </message>
        <message>
            <source>The batches kept in this project, newest first</source>
            <translation>此项目中保存的批次，最新的在前</translation>
        </message>
        <message>
            <source>below </source>
            <translation>低于 </translation>
        </message>
        <message>
            <source>cancelled after {done} of {total}</source>
            <translation>完成 {done} / {total} 后已取消</translation>
        </message>
        <message>
            <source>run {id}</source>
            <translation>运行 {id}</translation>
        </message>
        <message>
            <source>{count} accepted</source>
            <translation>已采纳 {count} 个</translation>
        </message>
        <message>
            <source>{count} below {threshold}</source>
            <translation>{count} 个低于 {threshold}</translation>
        </message>
        <message>
            <source>{count} images</source>
            <translation>{count} 张图像</translation>
        </message>
        <message>
            <source>{count} not read</source>
            <translation>{count} 个未能读取</translation>
        </message>
        <message>
            <source>{done} of {total} images</source>
            <translation>{done} / {total} 张图像</translation>
        </message>
        <message>
            <source>{shown} of {total} shown</source>
            <translation>显示 {shown} / {total} 项</translation>
        </message>
        <message>
            <source>{title} (cancelled)</source>
            <translation>{title}（已取消）</translation>
        </message>
        <message>
            <source>{total} results</source>
            <translation>{total} 个结果</translation>
        </message>
    </context>
    <context>
        <name>ClassPanel</name>
        <message>
            <source>Add a class</source>
            <translation>添加类别</translation>
        </message>
        <message>
            <source>Change the selected class's colour</source>
            <translation>更改所选类别的颜色</translation>
        </message>
        <message>
            <source>Class name:</source>
            <translation>类别名称：</translation>
        </message>
        <message>
            <source>Colour</source>
            <translation>颜色</translation>
        </message>
        <message>
            <source>Colour of '{name}'</source>
            <translation>“{name}”的颜色</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Delete class</source>
            <translation>删除类别</translation>
        </message>
        <message>
            <source>Delete the class '{name}'? {what}
You can undo this with Ctrl+Z.</source>
            <translation>删除类别“{name}”？{what}
可以用 Ctrl+Z 撤销。</translation>
        </message>
        <message>
            <source>Delete the selected class (its images become unlabelled)</source>
            <translation>删除所选类别（其图像将变为未标注）</translation>
        </message>
        <message>
            <source>Its 1 labelled image becomes unlabelled.</source>
            <translation>使用它的 1 张已标注图像将变为未标注。</translation>
        </message>
        <message>
            <source>Its {count} labelled images become unlabelled.</source>
            <translation>使用它的 {count} 张已标注图像将变为未标注。</translation>
        </message>
        <message>
            <source>Move down</source>
            <translation>下移</translation>
        </message>
        <message>
            <source>Move up (its shortcut follows)</source>
            <translation>上移（快捷键随之改变）</translation>
        </message>
        <message>
            <source>New name:</source>
            <translation>新名称：</translation>
        </message>
        <message>
            <source>No image has this label.</source>
            <translation>没有图像使用此标签。</translation>
        </message>
        <message>
            <source>Press {key} to label</source>
            <translation>按 {key} 标注</translation>
        </message>
        <message>
            <source>Rename</source>
            <translation>重命名</translation>
        </message>
        <message>
            <source>Rename class</source>
            <translation>重命名类别</translation>
        </message>
        <message>
            <source>Rename the selected class</source>
            <translation>重命名所选类别</translation>
        </message>
    </context>
    <context>
        <name>ClassifyController</name>
        <message>
            <source> — Ctrl+Z undoes</source>
            <translation> — Ctrl+Z 可撤销</translation>
        </message>
        <message>
            <source>; 1 image added to the project</source>
            <translation>；1 张图像已添加到项目</translation>
        </message>
        <message>
            <source>; {count} images added to the project</source>
            <translation>；{count} 张图像已添加到项目</translation>
        </message>
        <message>
            <source>; {count} skipped ({reason})</source>
            <translation>；跳过 {count} 个（{reason}）</translation>
        </message>
        <message>
            <source>A batch is being classified: wait for it to finish, or cancel it</source>
            <translation>正在分类一个批次：请等待其完成，或将其取消</translation>
        </message>
        <message>
            <source>Accepted 1 prediction as labels</source>
            <translation>已将 1 个预测采纳为标签</translation>
        </message>
        <message>
            <source>Accepted {count} predictions as labels</source>
            <translation>已将 {count} 个预测采纳为标签</translation>
        </message>
        <message>
            <source>Batch {id} cancelled: {done}</source>
            <translation>批次 {id} 已取消：{done}</translation>
        </message>
        <message>
            <source>Batch {id} ready: {done}</source>
            <translation>批次 {id} 已就绪：{done}</translation>
        </message>
        <message>
            <source>Classified {done} of {total} images</source>
            <translation>已分类 {done} / {total} 张图像</translation>
        </message>
        <message>
            <source>Classifying</source>
            <translation>正在分类</translation>
        </message>
        <message>
            <source>Classifying with run {run}…</source>
            <translation>正在使用运行 {run} 进行分类…</translation>
        </message>
        <message>
            <source>Export failed: {reason}</source>
            <translation>导出失败：{reason}</translation>
        </message>
        <message>
            <source>{classified} classified</source>
            <translation>已分类 {classified} 张</translation>
        </message>
        <message>
            <source>{classified} classified, {failed} could not be read</source>
            <translation>已分类 {classified} 张，{failed} 张无法读取</translation>
        </message>
    </context>
    <context>
        <name>CompositeControls</name>
        <message>
            <source>Band composite of this satellite image</source>
            <translation>此卫星图像的波段合成</translation>
        </message>
        <message>
            <source>Band shown as blue</source>
            <translation>显示为蓝色的波段</translation>
        </message>
        <message>
            <source>Band shown as green</source>
            <translation>显示为绿色的波段</translation>
        </message>
        <message>
            <source>Band shown as red</source>
            <translation>显示为红色的波段</translation>
        </message>
        <message>
            <source>Band {number}</source>
            <translation>波段 {number}</translation>
        </message>
        <message>
            <source>Custom bands</source>
            <translation>自定义波段</translation>
        </message>
    </context>
    <context>
        <name>ConfigForm</name>
        <message>
            <source>Expert settings</source>
            <translation>专家设置</translation>
        </message>
        <message>
            <source>default</source>
            <translation>默认</translation>
        </message>
    </context>
    <context>
        <name>DropChoiceDialog</name>
        <message>
            <source>'{name}'</source>
            <translation>“{name}”</translation>
        </message>
        <message>
            <source>A folder…</source>
            <translation>文件夹…</translation>
        </message>
        <message>
            <source>Add to the project for labelling</source>
            <translation>添加到项目以供标注</translation>
        </message>
        <message>
            <source>Classify a folder of images</source>
            <translation>分类一个图像文件夹</translation>
        </message>
        <message>
            <source>Classify images</source>
            <translation>分类图像</translation>
        </message>
        <message>
            <source>Classify some image files, or a whole folder?</source>
            <translation>分类若干图像文件，还是整个文件夹？</translation>
        </message>
        <message>
            <source>Classify with {run}</source>
            <translation>使用 {run} 分类</translation>
        </message>
        <message>
            <source>Dropped images</source>
            <translation>拖入的图像</translation>
        </message>
        <message>
            <source>Files…</source>
            <translation>文件…</translation>
        </message>
        <message>
            <source>Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp *.dcm);;All files (*)</source>
            <translation>图像 (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp *.dcm);;所有文件 (*)</translation>
        </message>
        <message>
            <source>The files stay where they are; the results open in the Review workspace</source>
            <translation>文件保留在原处；结果在“审阅”工作区中打开</translation>
        </message>
        <message>
            <source>What should Loupe do with {what}?

Adding imports the images for labelling. Classifying leaves the files where they are and shows what the model says about each.</source>
            <translation>Loupe 应如何处理{what}？

“添加”会导入这些图像以供标注。“分类”会将文件保留在原处，并显示模型对每个文件的判断。</translation>
        </message>
        <message>
            <source>these {count} files and folders</source>
            <translation>这 {count} 个文件和文件夹</translation>
        </message>
    </context>
    <context>
        <name>ErrorReporter</name>
        <message>
            <source>Loupe hit a problem</source>
            <translation>Loupe 遇到了问题</translation>
        </message>
        <message>
            <source>Something went wrong; your labels are saved.</source>
            <translation>出现了错误；您的标签已保存。</translation>
        </message>
    </context>
    <context>
        <name>ExportController</name>
        <message>
            <source>An export is running: wait for it to finish, or cancel it.</source>
            <translation>正在导出：请等待其完成，或将其取消。</translation>
        </message>
        <message>
            <source>Exporting</source>
            <translation>正在导出</translation>
        </message>
        <message>
            <source>Exporting {what}…</source>
            <translation>正在导出{what}…</translation>
        </message>
    </context>
    <context>
        <name>ExportDialog</name>
        <message>
            <source>; {count} file(s) not found, not exported</source>
            <translation>；{count} 个文件未找到，未导出</translation>
        </message>
        <message>
            <source>A CSV file</source>
            <translation>CSV 文件</translation>
        </message>
        <message>
            <source>A new or empty folder</source>
            <translation>新的或空的文件夹</translation>
        </message>
        <message>
            <source>Browse…</source>
            <translation>浏览…</translation>
        </message>
        <message>
            <source>CSV (*.csv)</source>
            <translation>CSV (*.csv)</translation>
        </message>
        <message>
            <source>Export</source>
            <translation>导出</translation>
        </message>
        <message>
            <source>Export into a new or empty folder</source>
            <translation>导出到新的或空的文件夹</translation>
        </message>
        <message>
            <source>Export the labels as CSV</source>
            <translation>将标签导出为 CSV</translation>
        </message>
        <message>
            <source>Exported 1 labelled image in class folders in {out}</source>
            <translation>已将 1 张已标注的图像按类别文件夹导出到 {out}</translation>
        </message>
        <message>
            <source>Exported run {run} as ONNX: {out}</source>
            <translation>已将运行 {run} 导出为 ONNX：{out}</translation>
        </message>
        <message>
            <source>Exported run {run} as a Hugging Face folder: {out}</source>
            <translation>已将运行 {run} 导出为 Hugging Face 文件夹：{out}</translation>
        </message>
        <message>
            <source>Exported {count} labelled images in class folders in {out}</source>
            <translation>已将 {count} 张已标注的图像按类别文件夹导出到 {out}</translation>
        </message>
        <message>
            <source>File</source>
            <translation>文件</translation>
        </message>
        <message>
            <source>Folder</source>
            <translation>文件夹</translation>
        </message>
        <message>
            <source>Labelled images in class folders</source>
            <translation>按类别文件夹存放的已标注图像</translation>
        </message>
        <message>
            <source>Labels as CSV</source>
            <translation>标签（CSV）</translation>
        </message>
        <message>
            <source>Model as ONNX</source>
            <translation>模型（ONNX）</translation>
        </message>
        <message>
            <source>Model as a Hugging Face folder</source>
            <translation>模型（Hugging Face 文件夹）</translation>
        </message>
        <message>
            <source>No run has a model yet: train one first (Ctrl+T)</source>
            <translation>还没有带模型的运行：请先训练一个（Ctrl+T）</translation>
        </message>
        <message>
            <source>Nothing was exported: {reason}.</source>
            <translation>未导出任何内容：{reason}。</translation>
        </message>
        <message>
            <source>Run</source>
            <translation>运行</translation>
        </message>
        <message>
            <source>Saved 1 label as {out}</source>
            <translation>已将 1 个标签保存为 {out}</translation>
        </message>
        <message>
            <source>Saved {count} labels as {out}</source>
            <translation>已将 {count} 个标签保存为 {out}</translation>
        </message>
        <message>
            <source>This folder is not empty: choose a new or empty one.</source>
            <translation>此文件夹不为空：请选择一个新的或空的文件夹。</translation>
        </message>
        <message>
            <source>This is a file: choose a new or empty folder.</source>
            <translation>这是一个文件：请选择一个新的或空的文件夹。</translation>
        </message>
        <message>
            <source>This is a folder: choose a file name.</source>
            <translation>这是一个文件夹：请选择一个文件名。</translation>
        </message>
        <message>
            <source>What</source>
            <translation>内容</translation>
        </message>
        <message>
            <source>Where</source>
            <translation>位置</translation>
        </message>
        <message>
            <source>could not write {path}: {reason}</source>
            <translation>无法写入 {path}：{reason}</translation>
        </message>
    </context>
    <context>
        <name>FileCheckController</name>
        <message>
            <source>, </source>
            <translation>，</translation>
        </message>
        <message>
            <source>1 image missing</source>
            <translation>缺失 1 张图像</translation>
        </message>
        <message>
            <source>; File ▸ Find moved images… looks for them</source>
            <translation>；“文件 ▸ 查找已移动的图像…”可以找回它们</translation>
        </message>
        <message>
            <source>Comparing contents: {done} of {total} files of the right size</source>
            <translation>正在比对内容：大小相符的文件 {done} / {total}</translation>
        </message>
        <message>
            <source>Find moved images</source>
            <translation>查找已移动的图像</translation>
        </message>
        <message>
            <source>Looking for the missing images…</source>
            <translation>正在查找缺失的图像…</translation>
        </message>
        <message>
            <source>Looking through the folder… {count} files found</source>
            <translation>正在浏览文件夹… 已找到 {count} 个文件</translation>
        </message>
        <message>
            <source>Slide or scene found again: {path} ({tiles} tiles)</source>
            <translation>已重新找到切片或场景：{path}（{tiles} 个图块）</translation>
        </message>
        <message>
            <source>Where are the moved images now?</source>
            <translation>已移动的图像现在在哪里？</translation>
        </message>
        <message>
            <source>{count} changed since import</source>
            <translation>{count} 张自导入后已更改</translation>
        </message>
        <message>
            <source>{count} images missing</source>
            <translation>缺失 {count} 张图像</translation>
        </message>
        <message>
            <source>{found} missing image(s) found again under {folder} ({looked} files looked at); {left} still missing.</source>
            <translation>在 {folder} 下重新找到 {found} 张缺失的图像（共检查 {looked} 个文件）；仍缺失 {left} 张。</translation>
        </message>
        <message>
            <source>{problems} — see Show ▸ Missing or changed files</source>
            <translation>{problems} — 请查看“显示 ▸ 缺失或已更改的文件”</translation>
        </message>
    </context>
    <context>
        <name>FilterBar</name>
        <message>
            <source>A slide's or scene's tiles are listed row by row, as they lie on it</source>
            <translation>切片或场景的图块按其所在位置逐行列出</translation>
        </message>
        <message>
            <source>All images</source>
            <translation>全部图像</translation>
        </message>
        <message>
            <source>Class: {name}</source>
            <translation>类别：{name}</translation>
        </message>
        <message>
            <source>Disagrees with label</source>
            <translation>预测与标签不一致</translation>
        </message>
        <message>
            <source>Labelled</source>
            <translation>已标注</translation>
        </message>
        <message>
            <source>Missing or changed files</source>
            <translation>缺失或已更改的文件</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <source>Near-duplicates</source>
            <translation>近似重复</translation>
        </message>
        <message>
            <source>Near-duplicates are listed by group: a group's images together</source>
            <translation>近似重复按组列出：同一组的图像排在一起</translation>
        </message>
        <message>
            <source>Needs review (&lt; {percent})</source>
            <translation>需要复查（&lt; {percent}）</translation>
        </message>
        <message>
            <source>Newest first</source>
            <translation>最新优先</translation>
        </message>
        <message>
            <source>Oldest first</source>
            <translation>最早优先</translation>
        </message>
        <message>
            <source>Predicted: {name}</source>
            <translation>预测：{name}</translation>
        </message>
        <message>
            <source>Rejected files</source>
            <translation>被拒绝的文件</translation>
        </message>
        <message>
            <source>Scene: {name}</source>
            <translation>场景：{name}</translation>
        </message>
        <message>
            <source>Search file names…  (Ctrl+F)</source>
            <translation>搜索文件名…  (Ctrl+F)</translation>
        </message>
        <message>
            <source>Selection: {title}</source>
            <translation>选定：{title}</translation>
        </message>
        <message>
            <source>Show:</source>
            <translation>显示：</translation>
        </message>
        <message>
            <source>Slide: {name}</source>
            <translation>切片：{name}</translation>
        </message>
        <message>
            <source>Sort order</source>
            <translation>排序方式</translation>
        </message>
        <message>
            <source>Sort:</source>
            <translation>排序：</translation>
        </message>
        <message>
            <source>Suggested</source>
            <translation>建议</translation>
        </message>
        <message>
            <source>Suggested ({strategy})</source>
            <translation>建议（{strategy}）</translation>
        </message>
        <message>
            <source>The suggestions keep their order: most worth labelling first</source>
            <translation>建议保持自身的顺序：最值得标注的排在最前</translation>
        </message>
        <message>
            <source>Unlabelled</source>
            <translation>未标注</translation>
        </message>
        <message>
            <source>Which images to show</source>
            <translation>要显示哪些图像</translation>
        </message>
    </context>
    <context>
        <name>ImageListModel</name>
        <message>
            <source>near-duplicate group {group}: {count} images; {similarity} alike to its closest</source>
            <translation>近似重复第 {group} 组：{count} 张图像；与最相近的图像相似度为 {similarity}</translation>
        </message>
        <message>
            <source>predicted: {name} ({confidence})</source>
            <translation>预测：{name}（{confidence}）</translation>
        </message>
        <message>
            <source>suggested: {why}</source>
            <translation>建议：{why}</translation>
        </message>
        <message>
            <source>zero-shot suggestion: {name} ({confidence}), from the class names; Enter accepts it</source>
            <translation>零样本建议：{name}（{confidence}），根据类别名称得出；按 Enter 采纳</translation>
        </message>
    </context>
    <context>
        <name>ImagesOrSources</name>
        <message>
            <source>A whole slide or scene with its tiles coloured by label or prediction (Ctrl+Shift+O)</source>
            <translation>整张切片或场景，其图块按标签或预测着色 (Ctrl+Shift+O)</translation>
        </message>
        <message>
            <source>Images</source>
            <translation>图像</translation>
        </message>
        <message>
            <source>Slides and scenes</source>
            <translation>切片和场景</translation>
        </message>
        <message>
            <source>The images of the project, as the filter shows them</source>
            <translation>项目中的图像，按当前筛选显示</translation>
        </message>
    </context>
    <context>
        <name>ImportController</name>
        <message>
            <source>1 duplicate</source>
            <translation>1 个重复</translation>
        </message>
        <message>
            <source>1 image</source>
            <translation>1 张图像</translation>
        </message>
        <message>
            <source>Importing</source>
            <translation>正在导入</translation>
        </message>
        <message>
            <source>Importing {done} of {total}: {added} added, {duplicates}, {rejected} not readable</source>
            <translation>正在导入 {done} / {total}：已添加 {added} 个，{duplicates}，{rejected} 个无法读取</translation>
        </message>
        <message>
            <source>Looking for images…</source>
            <translation>正在查找图像…</translation>
        </message>
        <message>
            <source>Looking for images… 1 file found</source>
            <translation>正在查找图像… 已找到 1 个文件</translation>
        </message>
        <message>
            <source>Looking for images… {count} files found</source>
            <translation>正在查找图像… 已找到 {count} 个文件</translation>
        </message>
        <message>
            <source>these {count} files</source>
            <translation>以下 {count} 个文件</translation>
        </message>
        <message>
            <source>this file</source>
            <translation>以下文件</translation>
        </message>
        <message>
            <source>{count} duplicates</source>
            <translation>{count} 个重复</translation>
        </message>
        <message>
            <source>{count} images</source>
            <translation>{count} 张图像</translation>
        </message>
        <message>
            <source>{images} imported; {which} could not be read:</source>
            <translation>已导入 {images}；{which}无法读取：</translation>
        </message>
    </context>
    <context>
        <name>LabelLegend</name>
        <message>
            <source>0 no label</source>
            <translation>0 无标签</translation>
        </message>
        <message>
            <source>Label with {name} (key {key})</source>
            <translation>标注为 {name}（按键 {key}）</translation>
        </message>
        <message>
            <source>Remove the label (key 0)</source>
            <translation>移除标签（按键 0）</translation>
        </message>
        <message>
            <source>unlabelled</source>
            <translation>未标注</translation>
        </message>
    </context>
    <context>
        <name>LabelReviewController</name>
        <message>
            <source>Checking labels needs a model to compute image features with: choose one in the Train workspace (or train one) first.</source>
            <translation>检查标签需要一个模型来计算图像特征：请先在“训练”工作区选择一个模型（或训练一个）。</translation>
        </message>
        <message>
            <source>Kept '{name}'</source>
            <translation>已保留“{name}”</translation>
        </message>
        <message>
            <source>The end of the queue: every label in it has an answer, or press Check labels again</source>
            <translation>已到队列末尾：其中每个标签都已处理，或再次点击“检查标签”</translation>
        </message>
        <message>
            <source>This window has the project read-only: answers cannot be saved</source>
            <translation>此窗口以只读方式打开项目：无法保存处理结果</translation>
        </message>
    </context>
    <context>
        <name>LabelReviewPanel</name>
        <message>
            <source>, </source>
            <translation>、</translation>
        </message>
        <message>
            <source>1 image unreadable</source>
            <translation>1 张图像无法读取</translation>
        </message>
        <message>
            <source>1 label</source>
            <translation>1 个标签</translation>
        </message>
        <message>
            <source>1 labelled image</source>
            <translation>1 张已标注的图像</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Change  (C)</source>
            <translation>更改  (C)</translation>
        </message>
        <message>
            <source>Change to the suggestion</source>
            <translation>改为建议的类别</translation>
        </message>
        <message>
            <source>Change to {name}  (C)</source>
            <translation>改为 {name}  (C)</translation>
        </message>
        <message>
            <source>Changed to {name} (Ctrl+Z takes it back).</source>
            <translation>已改为 {name}（按 Ctrl+Z 撤销）。</translation>
        </message>
        <message>
            <source>Check labels</source>
            <translation>检查标签</translation>
        </message>
        <message>
            <source>Computing image features…</source>
            <translation>正在计算图像特征…</translation>
        </message>
        <message>
            <source>Fitting a model for each fold…</source>
            <translation>正在为每一折拟合模型…</translation>
        </message>
        <message>
            <source>Given → suggested, and the model's probability of the given label (lower: more doubtful)</source>
            <translation>现有标签 → 建议类别，以及模型给出的现有标签概率（越低越可疑）</translation>
        </message>
        <message>
            <source>Keep  (K)</source>
            <translation>保留  (K)</translation>
        </message>
        <message>
            <source>Keep the label</source>
            <translation>保留该标签</translation>
        </message>
        <message>
            <source>Keep {name}  (K)</source>
            <translation>保留 {name}  (K)</translation>
        </message>
        <message>
            <source>Kept.</source>
            <translation>已保留。</translation>
        </message>
        <message>
            <source>Label {number} of {count}</source>
            <translation>第 {number} 个标签，共 {count} 个</translation>
        </message>
        <message>
            <source>Labelled &lt;b&gt;{name}&lt;/b&gt;: the model gave it {score}</source>
            <translation>标注为 &lt;b&gt;{name}&lt;/b&gt;：模型给出的概率为 {score}</translation>
        </message>
        <message>
            <source>Labels that look wrong, most suspicious first: each image is scored by a model fitted without it (5 folds on the image features). Keep a right label, or change it to the suggestion.</source>
            <translation>看起来有误的标签，最可疑的排在最前：每张图像都由一个未使用该图像拟合的模型打分（基于图像特征的 5 折交叉）。正确的标签请保留，否则改为建议的类别。</translation>
        </message>
        <message>
            <source>Labels that look wrong, most suspicious first: keep or change each (Ctrl+Shift+L)</source>
            <translation>看起来有误的标签，最可疑的排在最前：逐个保留或更改 (Ctrl+Shift+L)</translation>
        </message>
        <message>
            <source>Looks like &lt;b&gt;{name}&lt;/b&gt; ({score})</source>
            <translation>看起来像 &lt;b&gt;{name}&lt;/b&gt;（{score}）</translation>
        </message>
        <message>
            <source>No label looks wrong. {summary}</source>
            <translation>没有看起来有误的标签。{summary}</translation>
        </message>
        <message>
            <source>Not checked yet.</source>
            <translation>尚未检查。</translation>
        </message>
        <message>
            <source>Now {name}.</source>
            <translation>现为 {name}。</translation>
        </message>
        <message>
            <source>Previous</source>
            <translation>上一个</translation>
        </message>
        <message>
            <source>Rank the labels that look wrong (Ctrl+Shift+L)</source>
            <translation>为看起来有误的标签排序 (Ctrl+Shift+L)</translation>
        </message>
        <message>
            <source>Skip</source>
            <translation>跳过</translation>
        </message>
        <message>
            <source>Skip →</source>
            <translation>跳过 →</translation>
        </message>
        <message>
            <source>Stop (image features computed so far are kept)</source>
            <translation>停止（已计算的图像特征会保留）</translation>
        </message>
        <message>
            <source>features: {source}</source>
            <translation>特征：{source}</translation>
        </message>
        <message>
            <source>no class</source>
            <translation>无类别</translation>
        </message>
        <message>
            <source>not checked (too few labels): {classes}</source>
            <translation>未检查（标签太少）：{classes}</translation>
        </message>
        <message>
            <source>{count} images unreadable</source>
            <translation>{count} 张图像无法读取</translation>
        </message>
        <message>
            <source>{count} kept earlier</source>
            <translation>{count} 个此前已保留</translation>
        </message>
        <message>
            <source>{count} labelled images</source>
            <translation>{count} 张已标注的图像</translation>
        </message>
        <message>
            <source>{count} labels</source>
            <translation>{count} 个标签</translation>
        </message>
        <message>
            <source>{labels} to review among {images}</source>
            <translation>在 {images}中有 {labels}待复查</translation>
        </message>
        <message>
            <source>← Previous</source>
            <translation>← 上一个</translation>
        </message>
        <message>
            <source>✎ changed</source>
            <translation>✎ 已更改</translation>
        </message>
        <message>
            <source>✎ relabelled</source>
            <translation>✎ 已重新标注</translation>
        </message>
        <message>
            <source>✓ kept</source>
            <translation>✓ 已保留</translation>
        </message>
    </context>
    <context>
        <name>LabellingController</name>
        <message>
            <source>Accepted 1 prediction of batch {batch} as labels</source>
            <translation>已将批次 {batch} 的 1 个预测采纳为标签</translation>
        </message>
        <message>
            <source>Accepted 1 zero-shot label</source>
            <translation>已采纳 1 个零样本标签</translation>
        </message>
        <message>
            <source>Accepted {count} predictions of batch {batch} as labels</source>
            <translation>已将批次 {batch} 的 {count} 个预测采纳为标签</translation>
        </message>
        <message>
            <source>Accepted {count} zero-shot labels</source>
            <translation>已采纳 {count} 个零样本标签</translation>
        </message>
        <message>
            <source>Change many labels?</source>
            <translation>要更改大量标签吗？</translation>
        </message>
        <message>
            <source>Changed the label of 1 image to '{name}' (review)</source>
            <translation>已将 1 张图像的标签改为“{name}”（复查）</translation>
        </message>
        <message>
            <source>Clear label</source>
            <translation>清除标签</translation>
        </message>
        <message>
            <source>Cleared the label of 1 image</source>
            <translation>已清除 1 张图像的标签</translation>
        </message>
        <message>
            <source>Cleared the label of {count} images</source>
            <translation>已清除 {count} 张图像的标签</translation>
        </message>
        <message>
            <source>Deleted class '{name}'</source>
            <translation>已删除类别“{name}”</translation>
        </message>
        <message>
            <source>Label with class {key}</source>
            <translation>用类别 {key} 标注</translation>
        </message>
        <message>
            <source>Labelled 1 image as '{name}'</source>
            <translation>已将 1 张图像标注为“{name}”</translation>
        </message>
        <message>
            <source>Labelled {count} images as '{name}'</source>
            <translation>已将 {count} 张图像标注为“{name}”</translation>
        </message>
        <message>
            <source>Labels from folder names</source>
            <translation>根据文件夹名称添加的标签</translation>
        </message>
        <message>
            <source>No class has the key {key}; add classes in the Classes panel</source>
            <translation>没有类别使用按键 {key}；请在“类别”面板中添加类别</translation>
        </message>
        <message>
            <source>Nothing to redo</source>
            <translation>没有可重做的操作</translation>
        </message>
        <message>
            <source>Nothing to undo</source>
            <translation>没有可撤销的操作</translation>
        </message>
        <message>
            <source>Redid {action}</source>
            <translation>已重做：{action}</translation>
        </message>
        <message>
            <source>Redo</source>
            <translation>重做</translation>
        </message>
        <message>
            <source>Redo cancelled: no label was changed</source>
            <translation>已取消重做：未更改任何标签</translation>
        </message>
        <message>
            <source>Redo {action}</source>
            <translation>重做：{action}</translation>
        </message>
        <message>
            <source>Redo {action}?

This changes the labels of {count} images.</source>
            <translation>重做：{action}？

这将更改 {count} 张图像的标签。</translation>
        </message>
        <message>
            <source>Undid {action}</source>
            <translation>已撤销：{action}</translation>
        </message>
        <message>
            <source>Undo</source>
            <translation>撤销</translation>
        </message>
        <message>
            <source>Undo cancelled: no label was changed</source>
            <translation>已取消撤销：未更改任何标签</translation>
        </message>
        <message>
            <source>Undo {action}</source>
            <translation>撤销：{action}</translation>
        </message>
        <message>
            <source>Undo {action}?

This changes the labels of {count} images.</source>
            <translation>撤销：{action}？

这将更改 {count} 张图像的标签。</translation>
        </message>
        <message>
            <source>accepting 1 prediction of batch {batch} as labels</source>
            <translation>将批次 {batch} 的 1 个预测采纳为标签</translation>
        </message>
        <message>
            <source>accepting 1 zero-shot label</source>
            <translation>采纳 1 个零样本标签</translation>
        </message>
        <message>
            <source>accepting {count} predictions of batch {batch} as labels</source>
            <translation>将批次 {batch} 的 {count} 个预测采纳为标签</translation>
        </message>
        <message>
            <source>accepting {count} zero-shot labels</source>
            <translation>采纳 {count} 个零样本标签</translation>
        </message>
        <message>
            <source>changing the label of 1 image to '{name}' (review)</source>
            <translation>将 1 张图像的标签改为“{name}”（复查）</translation>
        </message>
        <message>
            <source>clearing the label of 1 image</source>
            <translation>清除 1 张图像的标签</translation>
        </message>
        <message>
            <source>clearing the label of {count} images</source>
            <translation>清除 {count} 张图像的标签</translation>
        </message>
        <message>
            <source>deleting class '{name}'</source>
            <translation>删除类别“{name}”</translation>
        </message>
        <message>
            <source>labelling 1 image as '{name}'</source>
            <translation>将 1 张图像标注为“{name}”</translation>
        </message>
        <message>
            <source>labelling {count} images as '{name}'</source>
            <translation>将 {count} 张图像标注为“{name}”</translation>
        </message>
        <message>
            <source>labels from folder names</source>
            <translation>根据文件夹名称添加的标签</translation>
        </message>
    </context>
    <context>
        <name>LanguageMenu</name>
        <message>
            <source>&amp;Language</source>
            <translation>语言(&amp;L)</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>语言</translation>
        </message>
        <message>
            <source>Loupe will speak {language} from the next time it starts.</source>
            <translation>Loupe 将在下次启动时使用{language}。</translation>
        </message>
        <message>
            <source>System default</source>
            <translation>跟随系统</translation>
        </message>
    </context>
    <context>
        <name>LearningCurvePlot</name>
        <message>
            <source>&lt;span style='color:{refresh}'&gt;●&lt;/span&gt; estimate at a refresh &amp;nbsp;&amp;nbsp; &lt;span style='color:{run}'&gt;★&lt;/span&gt; training run</source>
            <translation>&lt;span style='color:{refresh}'&gt;●&lt;/span&gt; 刷新时的估计值 &amp;nbsp;&amp;nbsp; &lt;span style='color:{run}'&gt;★&lt;/span&gt; 训练运行</translation>
        </message>
        <message>
            <source>Accuracy as labels grew: blue dots, the estimate at each refresh of the suggestions; orange stars, the validation accuracy of each training run; the bars, its 95 % range given how few validation images it was measured on.</source>
            <translation>准确率随标签增加的变化：蓝点是每次刷新建议时的估计值；橙色星号是每次训练运行的验证准确率；竖线是根据用于测量的验证图像数量得出的 95% 范围。</translation>
        </message>
        <message>
            <source>accuracy</source>
            <translation>准确率</translation>
        </message>
        <message>
            <source>labelled images</source>
            <translation>已标注的图像</translation>
        </message>
    </context>
    <context>
        <name>LongJobController</name>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
    </context>
    <context>
        <name>LoupeApp</name>
        <message>
            <source>Cannot open the project</source>
            <translation>无法打开项目</translation>
        </message>
        <message>
            <source>Loupe {version}
Loading the machine-learning libraries ({done}/{total}): {name}</source>
            <translation>Loupe {version}
正在加载机器学习库（{done}/{total}）：{name}</translation>
        </message>
    </context>
    <context>
        <name>MachineNote</name>
        <message>
            <source>Caches (safe to delete)</source>
            <translation>缓存（可安全删除）</translation>
        </message>
        <message>
            <source>Checking this machine…</source>
            <translation>正在检查本机…</translation>
        </message>
        <message>
            <source>Downloaded models</source>
            <translation>已下载的模型</translation>
        </message>
        <message>
            <source>Error log</source>
            <translation>错误日志</translation>
        </message>
        <message>
            <source>Hours even on a small backbone: use a machine with a GPU for this.</source>
            <translation>即使是小型骨干网络也需要数小时：请在有 GPU 的机器上进行。</translation>
        </message>
        <message>
            <source>Loupe will train on the GPU &lt;b&gt;{name}&lt;/b&gt; with {memory} of memory (CUDA).</source>
            <translation>Loupe 将在 GPU &lt;b&gt;{name}&lt;/b&gt;（{memory} 显存，CUDA）上训练。</translation>
        </message>
        <message>
            <source>Loupe will train on this Mac's GPU (Apple MPS), which shares its {memory} of memory.</source>
            <translation>Loupe 将在这台 Mac 的 GPU（Apple MPS）上训练，它与系统共享 {memory} 内存。</translation>
        </message>
        <message>
            <source>Minutes on a small backbone, somewhat longer on a large one.</source>
            <translation>小型骨干网络需数分钟，大型骨干网络稍长。</translation>
        </message>
        <message>
            <source>Minutes on a small backbone; a large one is slower than on a CUDA GPU.</source>
            <translation>小型骨干网络需数分钟；大型骨干网络比在 CUDA GPU 上慢。</translation>
        </message>
        <message>
            <source>Minutes to an hour; needs the most GPU memory.</source>
            <translation>数分钟到一小时；显存需求最大。</translation>
        </message>
        <message>
            <source>No GPU was found: Loupe will train on the processor (&lt;b&gt;{name}&lt;/b&gt;, {threads} threads, {memory} of memory). Labelling, suggestions and the linear probe work well on it; the other methods work but take much longer.</source>
            <translation>未找到 GPU：Loupe 将在处理器上训练（&lt;b&gt;{name}&lt;/b&gt;，{threads} 个线程，{memory} 内存）。标注、建议和线性探测在处理器上运行良好；其他方法也能运行，但耗时长得多。</translation>
        </message>
        <message>
            <source>Practical on small backbones only; slow and memory-hungry on large ones.</source>
            <translation>仅适合小型骨干网络；大型骨干网络又慢又占内存。</translation>
        </message>
        <message>
            <source>Projects</source>
            <translation>项目</translation>
        </message>
        <message>
            <source>Seconds to a minute.</source>
            <translation>数秒到一分钟。</translation>
        </message>
        <message>
            <source>Seconds to minutes: the best start without a GPU.</source>
            <translation>数秒到数分钟：没有 GPU 时最适合从它开始。</translation>
        </message>
        <message>
            <source>Seconds: the features are computed once on the GPU.</source>
            <translation>数秒：特征在 GPU 上只计算一次。</translation>
        </message>
        <message>
            <source>Tens of minutes on a small backbone with a few hundred images; hours on a large one.</source>
            <translation>小型骨干网络、几百张图像需数十分钟；大型骨干网络需数小时。</translation>
        </message>
        <message>
            <source>The sample project</source>
            <translation>示例项目</translation>
        </message>
        <message>
            <source>The training libraries did not load, so Loupe cannot train here: {reason}</source>
            <translation>训练库未能加载，因此 Loupe 无法在本机训练：{reason}</translation>
        </message>
        <message>
            <source>This &amp;machine…</source>
            <translation>本机信息(&amp;M)…</translation>
        </message>
        <message>
            <source>This machine</source>
            <translation>本机信息</translation>
        </message>
        <message>
            <source>What that means for each training method:</source>
            <translation>对各训练方法的影响：</translation>
        </message>
        <message>
            <source>Where things live:</source>
            <translation>文件存放位置：</translation>
        </message>
        <message>
            <source>unknown</source>
            <translation>未知</translation>
        </message>
        <message>
            <source>where you save them: one .loupe file each, its trained models beside it</source>
            <translation>保存在您选择的位置：每个项目一个 .loupe 文件，训练好的模型放在其旁边</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Classes</source>
            <translation>类别</translation>
        </message>
        <message>
            <source>Classifying needs a trained model: train one (Ctrl+T), then use it for predictions (Train ▸ Runs ▸ Use for predictions)</source>
            <translation>分类需要一个已训练的模型：先训练一个（Ctrl+T），再将其用于预测（训练 ▸ 运行记录 ▸ 用于预测）</translation>
        </message>
        <message>
            <source>Export cancelled; nothing was written</source>
            <translation>导出已取消；未写入任何内容</translation>
        </message>
        <message>
            <source>Exporting to {folder}…</source>
            <translation>正在导出到 {folder}…</translation>
        </message>
        <message>
            <source>Filter</source>
            <translation>筛选</translation>
        </message>
        <message>
            <source>Import a folder of images</source>
            <translation>导入图像文件夹</translation>
        </message>
        <message>
            <source>Import cancelled: {added} added, {duplicates} duplicates, {rejected} rejected</source>
            <translation>导入已取消：新增 {added} 张，重复 {duplicates} 张，拒绝 {rejected} 张</translation>
        </message>
        <message>
            <source>Imported: {added} added, {duplicates} duplicates, {rejected} rejected</source>
            <translation>导入完成：新增 {added} 张，重复 {duplicates} 张，拒绝 {rejected} 张</translation>
        </message>
        <message>
            <source>Labelled images per class</source>
            <translation>各类别已标注的图像数</translation>
        </message>
        <message>
            <source>Loupe project (*.loupe)</source>
            <translation>Loupe 项目 (*.loupe)</translation>
        </message>
        <message>
            <source>Open a Loupe project</source>
            <translation>打开 Loupe 项目</translation>
        </message>
        <message>
            <source>Predicting all images with run {run}…</source>
            <translation>正在用运行 {run} 预测所有图像…</translation>
        </message>
        <message>
            <source>Predictions failed: {error}</source>
            <translation>预测失败：{error}</translation>
        </message>
        <message>
            <source>Predictions of run {run} are on the tiles; filter by them under Show</source>
            <translation>运行 {run} 的预测已显示在缩略图上；可在“显示”中按预测筛选</translation>
        </message>
        <message>
            <source>Run {run} has no saved model to export.</source>
            <translation>运行 {run} 没有可导出的已保存模型。</translation>
        </message>
        <message>
            <source>Suggest</source>
            <translation>建议</translation>
        </message>
        <message>
            <source>Which images to label next, and whether more labels still help (Am I done?)</source>
            <translation>下一步该标注哪些图像，以及更多标签是否仍有帮助（标注够了吗？）</translation>
        </message>
        <message>
            <source>Workspaces</source>
            <translation>工作区</translation>
        </message>
        <message>
            <source>{project} — Loupe</source>
            <translation>{project} — Loupe</translation>
        </message>
        <message>
            <source>{project} — Loupe (read-only)</source>
            <translation>{project} — Loupe（只读）</translation>
        </message>
    </context>
    <context>
        <name>Menus</name>
        <message>
            <source>&amp;Classify images…</source>
            <translation>分类图像(&amp;C)…</translation>
        </message>
        <message>
            <source>&amp;Close project</source>
            <translation>关闭项目(&amp;C)</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>编辑(&amp;E)</translation>
        </message>
        <message>
            <source>&amp;Export…</source>
            <translation>导出(&amp;E)…</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Find</source>
            <translation>查找(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Find moved images…</source>
            <translation>查找已移动的图像(&amp;F)…</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <source>&amp;Import images…</source>
            <translation>导入图像(&amp;I)…</translation>
        </message>
        <message>
            <source>&amp;Keyboard shortcuts</source>
            <translation>键盘快捷键(&amp;K)</translation>
        </message>
        <message>
            <source>&amp;Models…</source>
            <translation>模型(&amp;M)…</translation>
        </message>
        <message>
            <source>&amp;Open project…</source>
            <translation>打开项目(&amp;O)…</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <source>Actual pixels</source>
            <translation>实际像素</translation>
        </message>
        <message>
            <source>Back to the grid</source>
            <translation>返回网格</translation>
        </message>
        <message>
            <source>Check labels…</source>
            <translation>检查标签…</translation>
        </message>
        <message>
            <source>Fit image</source>
            <translation>图像适应窗口</translation>
        </message>
        <message>
            <source>Import &amp;slides or scenes…</source>
            <translation>导入切片或场景(&amp;S)…</translation>
        </message>
        <message>
            <source>Label next suggestions</source>
            <translation>标注下一批建议</translation>
        </message>
        <message>
            <source>Larger tiles</source>
            <translation>放大缩略图</translation>
        </message>
        <message>
            <source>Results</source>
            <translation>结果</translation>
        </message>
        <message>
            <source>Runs</source>
            <translation>运行记录</translation>
        </message>
        <message>
            <source>Show the images most worth labelling next, one after another (N)</source>
            <translation>逐一显示最值得接下来标注的图像 (N)</translation>
        </message>
        <message>
            <source>Show…</source>
            <translation>显示…</translation>
        </message>
        <message>
            <source>Slides and scenes</source>
            <translation>切片和场景</translation>
        </message>
        <message>
            <source>Smaller tiles</source>
            <translation>缩小缩略图</translation>
        </message>
        <message>
            <source>Train</source>
            <translation>训练</translation>
        </message>
    </context>
    <context>
        <name>ModelsPage</name>
        <message>
            <source> · {size} free on that disk</source>
            <translation> · 该磁盘剩余 {size}</translation>
        </message>
        <message>
            <source>&lt;b&gt;Needs accepted terms:&lt;/b&gt; read and accept them on &lt;a href="{url}"&gt;its card&lt;/a&gt;, then save your access token (right) and download.</source>
            <translation>&lt;b&gt;需要接受条款：&lt;/b&gt;请在&lt;a href="{url}"&gt;模型卡片&lt;/a&gt;上阅读并接受条款，然后保存您的访问令牌（右侧）再下载。</translation>
        </message>
        <message>
            <source>&lt;b&gt;{model}&lt;/b&gt; — {description}.</source>
            <translation>&lt;b&gt;{model}&lt;/b&gt; — {description}。</translation>
        </message>
        <message>
            <source>A GPU is recommended: on a CPU, training and predictions with it are slow.</source>
            <translation>建议使用 GPU：在 CPU 上用它训练和预测都很慢。</translation>
        </message>
        <message>
            <source>Accepted terms</source>
            <translation>需接受条款</translation>
        </message>
        <message>
            <source>Cancel download</source>
            <translation>取消下载</translation>
        </message>
        <message>
            <source>Cancelling…</source>
            <translation>正在取消…</translation>
        </message>
        <message>
            <source>Cannot be downloaded now. {reason}</source>
            <translation>现在无法下载。{reason}</translation>
        </message>
        <message>
            <source>Card, licence and details: &lt;a href="{url}"&gt;{url}&lt;/a&gt;</source>
            <translation>模型卡片、许可证及详情：&lt;a href="{url}"&gt;{url}&lt;/a&gt;</translation>
        </message>
        <message>
            <source>Choose a model in the list to see where it comes from.</source>
            <translation>在列表中选择一个模型，查看它的来源。</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <source>Could not delete {model}: {error}</source>
            <translation>无法删除 {model}：{error}</translation>
        </message>
        <message>
            <source>Could not look at the models on this machine: {error}</source>
            <translation>无法查看本机上的模型：{error}</translation>
        </message>
        <message>
            <source>Delete the model?</source>
            <translation>删除模型？</translation>
        </message>
        <message>
            <source>Delete the selected model from this machine (Delete)</source>
            <translation>从本机删除所选模型（Delete）</translation>
        </message>
        <message>
            <source>Delete {model} from this machine? This frees {size}. It can be downloaded again later; runs trained on it keep their own copy of what they need.</source>
            <translation>要从本机删除 {model} 吗？这将释放 {size}。以后可以重新下载；用它训练的运行会保留各自所需内容的副本。</translation>
        </message>
        <message>
            <source>Deleted {model}: {size} freed.</source>
            <translation>已删除 {model}：释放了 {size}。</translation>
        </message>
        <message>
            <source>Delete…</source>
            <translation>删除…</translation>
        </message>
        <message>
            <source>Download</source>
            <translation>下载</translation>
        </message>
        <message>
            <source>Download cancelled</source>
            <translation>下载已取消</translation>
        </message>
        <message>
            <source>Download failed</source>
            <translation>下载失败</translation>
        </message>
        <message>
            <source>Download of {model} cancelled; what arrived is kept, and Download resumes it.</source>
            <translation>已取消下载 {model}；已下载的部分会保留，点击“下载”可继续。</translation>
        </message>
        <message>
            <source>Download of {model} failed: {error}</source>
            <translation>下载 {model} 失败：{error}</translation>
        </message>
        <message>
            <source>Download the selected model to this machine (Enter)</source>
            <translation>将所选模型下载到本机（Enter）</translation>
        </message>
        <message>
            <source>Downloading…</source>
            <translation>正在下载…</translation>
        </message>
        <message>
            <source>Downloading… {share}</source>
            <translation>正在下载… {share}</translation>
        </message>
        <message>
            <source>GPU recommended</source>
            <translation>建议使用 GPU</translation>
        </message>
        <message>
            <source>Good for</source>
            <translation>适用于</translation>
        </message>
        <message>
            <source>Licence</source>
            <translation>许可证</translation>
        </message>
        <message>
            <source>Looking at the models on this machine…</source>
            <translation>正在查看本机上的模型…</translation>
        </message>
        <message>
            <source>Looking at this machine…</source>
            <translation>正在查看本机…</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>Models</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>Models are kept in {folder} (Hugging Face's cache, shared with other programs) · {size} in use</source>
            <translation>模型保存在 {folder}（Hugging Face 缓存，与其他程序共用）· 已占用 {size}</translation>
        </message>
        <message>
            <source>Needs</source>
            <translation>要求</translation>
        </message>
        <message>
            <source>No</source>
            <translation>否</translation>
        </message>
        <message>
            <source>No download running</source>
            <translation>没有正在进行的下载</translation>
        </message>
        <message>
            <source>Not downloadable</source>
            <translation>无法下载</translation>
        </message>
        <message>
            <source>Not on this machine yet.</source>
            <translation>尚未在本机上。</translation>
        </message>
        <message>
            <source>On this machine</source>
            <translation>在本机</translation>
        </message>
        <message>
            <source>On this machine (revision {revision}): {path}</source>
            <translation>已在本机（版本 {revision}）：{path}</translation>
        </message>
        <message>
            <source>On this machine: {path}</source>
            <translation>已在本机：{path}</translation>
        </message>
        <message>
            <source>Partly downloaded ({size}): Download resumes it.</source>
            <translation>已部分下载（{size}）：点击“下载”可继续。</translation>
        </message>
        <message>
            <source>Partly: {done} of {total}, resumes</source>
            <translation>部分：{done} / {total}，可继续</translation>
        </message>
        <message>
            <source>Partly: {done}, resumes</source>
            <translation>部分：{done}，可继续</translation>
        </message>
        <message>
            <source>Resume download</source>
            <translation>继续下载</translation>
        </message>
        <message>
            <source>Selected model</source>
            <translation>所选模型</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>大小</translation>
        </message>
        <message>
            <source>Starting the download of {model}…</source>
            <translation>正在开始下载 {model}…</translation>
        </message>
        <message>
            <source>Stop the download; what arrived is kept and the next download resumes</source>
            <translation>停止下载；已下载的部分会保留，下次下载时继续</translation>
        </message>
        <message>
            <source>The hub asks you to accept the model's terms on its card first</source>
            <translation>Hugging Face Hub 要求您先在模型卡片上接受该模型的条款</translation>
        </message>
        <message>
            <source>Yes, {size}</source>
            <translation>是，{size}</translation>
        </message>
        <message>
            <source>Zero-shot only</source>
            <translation>仅零样本</translation>
        </message>
        <message>
            <source>about {hours} h {minutes} min left</source>
            <translation>约剩 {hours} 小时 {minutes} 分钟</translation>
        </message>
        <message>
            <source>about {minutes} min left</source>
            <translation>约剩 {minutes} 分钟</translation>
        </message>
        <message>
            <source>about {seconds} s left</source>
            <translation>约剩 {seconds} 秒</translation>
        </message>
        <message>
            <source>licence: {licence}</source>
            <translation>许可证：{licence}</translation>
        </message>
        <message>
            <source>{count} M weights</source>
            <translation>{count} M 个权重</translation>
        </message>
        <message>
            <source>{done} of {total}</source>
            <translation>{done} / {total}</translation>
        </message>
        <message>
            <source>{done} so far</source>
            <translation>已下载 {done}</translation>
        </message>
        <message>
            <source>{model} cannot be downloaded now: {reason}.</source>
            <translation>{model} 现在无法下载：{reason}。</translation>
        </message>
        <message>
            <source>{model} is already on this machine.</source>
            <translation>{model} 已在本机上。</translation>
        </message>
        <message>
            <source>{model} is on this machine ({size}).</source>
            <translation>{model} 已在本机上（{size}）。</translation>
        </message>
        <message>
            <source>{model}: downloaded, {size}</source>
            <translation>{model}：已下载，{size}</translation>
        </message>
        <message>
            <source>{reason} Models not on this machine are greyed out until a download is possible. &lt;a href="check"&gt;Check again&lt;/a&gt;</source>
            <translation>{reason} 在可以下载之前，不在本机上的模型显示为灰色。&lt;a href="check"&gt;重新检查&lt;/a&gt;</translation>
        </message>
        <message>
            <source>{size} to download</source>
            <translation>需下载 {size}</translation>
        </message>
        <message>
            <source>{speed} MB/s</source>
            <translation>{speed} MB/s</translation>
        </message>
    </context>
    <context>
        <name>NearDuplicatesController</name>
        <message>
            <source>Looking for near-duplicates…</source>
            <translation>正在查找近似重复的图像…</translation>
        </message>
        <message>
            <source>Near-duplicates</source>
            <translation>近似重复</translation>
        </message>
        <message>
            <source>No near-duplicates found</source>
            <translation>未发现近似重复的图像</translation>
        </message>
        <message>
            <source>{found}; this window has the project read-only, so they are not stored or listed</source>
            <translation>{found}；此窗口以只读方式打开项目，因此不会保存或列出这些结果</translation>
        </message>
        <message>
            <source>{images} near-duplicate images in 1 group; training keeps each group on one side</source>
            <translation>1 组中共有 {images} 张近似重复的图像；训练时每组图像会被放在同一侧</translation>
        </message>
        <message>
            <source>{images} near-duplicate images in {groups} groups; training keeps each group on one side</source>
            <translation>{groups} 组中共有 {images} 张近似重复的图像；训练时每组图像会被放在同一侧</translation>
        </message>
    </context>
    <context>
        <name>ProjectStatusBar</name>
        <message>
            <source>Model: {run}</source>
            <translation>模型：{run}</translation>
        </message>
        <message>
            <source>Read-only: {reason}</source>
            <translation>只读：{reason}</translation>
        </message>
        <message>
            <source>The run whose model predicts on the tiles (Train ▸ Runs ▸ Use for predictions)</source>
            <translation>在缩略图上给出预测的模型所属的运行（训练 ▸ 运行记录 ▸ 用于预测）</translation>
        </message>
        <message>
            <source>{count} rejected</source>
            <translation>被拒绝 {count} 个</translation>
        </message>
        <message>
            <source>{labelled} / {images} labelled</source>
            <translation>已标注 {labelled} / {images}</translation>
        </message>
        <message>
            <source>{missing} missing, {changed} changed</source>
            <translation>缺失 {missing} 个，已更改 {changed} 个</translation>
        </message>
    </context>
    <context>
        <name>RejectedFilesDialog</name>
        <message>
            <source>A file was not imported</source>
            <translation>有一个文件未导入</translation>
        </message>
        <message>
            <source>Some files were not imported</source>
            <translation>部分文件未导入</translation>
        </message>
    </context>
    <context>
        <name>ReliabilityDiagram</name>
        <message>
            <source>Each bar: validation images the model gave that much confidence, and the share it got right. A calibrated model's bars reach the diagonal. Grey outline: before calibration; blue: after.</source>
            <translation>每根柱子：模型给出该置信度的验证图像中预测正确的比例。校准良好的模型，柱顶会落在对角线上。灰色轮廓：校准前；蓝色：校准后。</translation>
        </message>
        <message>
            <source>confidence →</source>
            <translation>置信度 →</translation>
        </message>
        <message>
            <source>share right →</source>
            <translation>正确比例 →</translation>
        </message>
    </context>
    <context>
        <name>ReportCard</name>
        <message>
            <source> Few images, so label more to narrow the range.</source>
            <translation>图像较少，请标注更多图像以缩小范围。</translation>
        </message>
        <message>
            <source> · best epoch {epoch}</source>
            <translation> · 最佳轮次 {epoch}</translation>
        </message>
        <message>
            <source>Accuracy {accuracy} on {count} validation images, likely {low}–{high} (95 % interval) · macro-F1 {f1} (how well each class is found, on average){best_epoch}.</source>
            <translation>在 {count} 张验证图像上的准确率为 {accuracy}，真实值很可能在 {low}–{high} 之间（95% 区间）· Macro-F1 {f1}（各类别识别效果的平均值）{best_epoch}。</translation>
        </message>
        <message>
            <source>Accuracy: the share of the validation images (labelled images kept out of training) the model got right.
95 % interval: the range the true accuracy on new images of the same kind likely lies in, given how few validation images measured it; more labels narrow it.
Macro-F1: how well each class is found (F1: the balance of not missing a class's images and not calling others by its name), averaged over the classes, so a rare class counts as much as a common one; 1 is perfect.</source>
            <translation>准确率：模型预测正确的验证图像（不参与训练的已标注图像）所占的比例。
95% 区间：考虑到用于测量的验证图像数量有限，模型在同类新图像上的真实准确率可能所在的范围；标注越多，区间越窄。
Macro-F1：各类别被识别得有多好（F1：既不漏掉某类别的图像、也不把其他图像误判为该类别，两者的平衡），再对各类别取平均，因此稀有类别与常见类别同等重要；1 为满分。</translation>
        </message>
        <message>
            <source>Augmentation: {augmentation}</source>
            <translation>数据增强：{augmentation}</translation>
        </message>
        <message>
            <source>Confidence calibrated on the {count} validation images (temperature {temperature}): the average gap between how sure the model says it is and how often it is right went from {before} to {after}.</source>
            <translation>置信度已在 {count} 张验证图像上校准（温度 {temperature}）：模型自称的把握与实际正确率之间的平均差距从 {before} 降至 {after}。</translation>
        </message>
        <message>
            <source>Confidence {note}. Calibration error on the validation images: {error}.</source>
            <translation>置信度：{note}。验证图像上的校准误差：{error}。</translation>
        </message>
        <message>
            <source>Confusion matrix — rows: true, columns: predicted</source>
            <translation>混淆矩阵 — 行：真实，列：预测</translation>
        </message>
        <message>
            <source>Cost: {parts}</source>
            <translation>开销：{parts}</translation>
        </message>
        <message>
            <source>F1</source>
            <translation>F1</translation>
        </message>
        <message>
            <source>In full: {cost}</source>
            <translation>完整信息：{cost}</translation>
        </message>
        <message>
            <source>Most confidently wrong (double-click to show)</source>
            <translation>置信度最高的错误预测（双击显示）</translation>
        </message>
        <message>
            <source>No validation image was misclassified.</source>
            <translation>没有验证图像被误分类。</translation>
        </message>
        <message>
            <source>Open in a window</source>
            <translation>在窗口中打开</translation>
        </message>
        <message>
            <source>Per class (validation images)</source>
            <translation>各类别（验证图像）</translation>
        </message>
        <message>
            <source>Precision</source>
            <translation>精确率</translation>
        </message>
        <message>
            <source>Recall</source>
            <translation>召回率</translation>
        </message>
        <message>
            <source>Rows: true class; columns: predicted class. Click a cell to see those images.</source>
            <translation>行：真实类别；列：预测类别。点击单元格可查看这些图像。</translation>
        </message>
        <message>
            <source>Select a finished run to see its report card.</source>
            <translation>选择一个已完成的运行，查看它的报告卡。</translation>
        </message>
        <message>
            <source>Support</source>
            <translation>样本数</translation>
        </message>
        <message>
            <source>The whole report card at full size, beside the window</source>
            <translation>在主窗口旁以完整尺寸显示整个报告卡</translation>
        </message>
        <message>
            <source>This run failed. It has no report.</source>
            <translation>此运行失败。它没有报告。</translation>
        </message>
        <message>
            <source>This run failed: {reason}. It has no report.</source>
            <translation>此运行失败：{reason}。它没有报告。</translation>
        </message>
        <message>
            <source>This run has no report: it had no validation images to check the model on (label more images so that some can be held out).</source>
            <translation>此运行没有报告：它没有可用于检验模型的验证图像（请标注更多图像，以便留出一部分用于验证）。</translation>
        </message>
        <message>
            <source>This run is still training: its report comes when it ends.</source>
            <translation>此运行仍在训练：结束后才会有报告。</translation>
        </message>
        <message>
            <source>This run was {how}, before it finished, so it has no report.</source>
            <translation>此运行在完成前{how}，因此没有报告。</translation>
        </message>
        <message>
            <source>What the model costs: the share of its weights this run trained, its size on disk, the most memory training took, and the time to classify one image afterwards (alone, and in batches of 32).
</source>
            <translation>模型的开销：本次运行训练的权重比例、在磁盘上的大小、训练时占用的最大内存，以及训练后分类一张图像所需的时间（单张，以及每批 32 张）。
</translation>
        </message>
        <message>
            <source>batches of {size}</source>
            <translation>每批 {size} 张</translation>
        </message>
        <message>
            <source>image {id}</source>
            <translation>图像 {id}</translation>
        </message>
        <message>
            <source>the selected run</source>
            <translation>所选运行</translation>
        </message>
        <message>
            <source>true {true}, predicted {predicted}</source>
            <translation>真实 {true}，预测 {predicted}</translation>
        </message>
        <message>
            <source>true {true}, predicted {predicted}: {count} ({share} of the class)</source>
            <translation>真实 {true}，预测 {predicted}：{count}（占该类别的 {share}）</translation>
        </message>
        <message>
            <source>{image}: true {true}, predicted {predicted} ({confidence})</source>
            <translation>{image}：真实 {true}，预测 {predicted}（{confidence}）</translation>
        </message>
        <message>
            <source>{ms} ms an image</source>
            <translation>每张图像 {ms} 毫秒</translation>
        </message>
        <message>
            <source>{percent} % of weights trained</source>
            <translation>训练了 {percent}% 的权重</translation>
        </message>
        <message>
            <source>{size} memory</source>
            <translation>内存 {size}</translation>
        </message>
        <message>
            <source>{size} on disk</source>
            <translation>磁盘占用 {size}</translation>
        </message>
    </context>
    <context>
        <name>ReportWindow</name>
        <message>
            <source>Report card — {run}</source>
            <translation>报告卡 — {run}</translation>
        </message>
    </context>
    <context>
        <name>ReviewWorkspace</name>
        <message>
            <source>Batch {id} deleted</source>
            <translation>批次 {id} 已删除</translation>
        </message>
        <message>
            <source>CSV (*.csv)</source>
            <translation>CSV (*.csv)</translation>
        </message>
        <message>
            <source>Classifying with run {run}…</source>
            <translation>正在使用运行 {run} 进行分类…</translation>
        </message>
        <message>
            <source>Double-click a result (or select it and press Enter) to see it here with its heatmap.</source>
            <translation>双击一个结果（或选中后按 Enter），即可在此查看它及其热力图。</translation>
        </message>
        <message>
            <source>Export the results as CSV</source>
            <translation>将结果导出为 CSV</translation>
        </message>
        <message>
            <source>Preparing results…</source>
            <translation>正在准备结果…</translation>
        </message>
        <message>
            <source>Saved the results as {path}</source>
            <translation>已将结果保存为 {path}</translation>
        </message>
    </context>
    <context>
        <name>RunHistoryPanel</name>
        <message>
            <source>Classes</source>
            <translation>类别</translation>
        </message>
        <message>
            <source>Device</source>
            <translation>设备</translation>
        </message>
        <message>
            <source>Export the selected run's model (Hugging Face folder or ONNX)</source>
            <translation>导出所选运行的模型（Hugging Face 文件夹或 ONNX）</translation>
        </message>
        <message>
            <source>Export…</source>
            <translation>导出…</translation>
        </message>
        <message>
            <source>Make the selected run's model the one that predicts in the grid</source>
            <translation>让所选运行的模型在网格中进行预测</translation>
        </message>
        <message>
            <source>Model folder</source>
            <translation>模型文件夹</translation>
        </message>
        <message>
            <source>Notice</source>
            <translation>提示</translation>
        </message>
        <message>
            <source>Put this run's settings in the training form, on the left</source>
            <translation>将此运行的设置填入左侧的训练表单</translation>
        </message>
        <message>
            <source>Report card</source>
            <translation>报告卡</translation>
        </message>
        <message>
            <source>Report card and curves</source>
            <translation>报告卡和曲线</translation>
        </message>
        <message>
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Train again with these settings</source>
            <translation>用这些设置再次训练</translation>
        </message>
        <message>
            <source>Use for predictions</source>
            <translation>用于预测</translation>
        </message>
        <message>
            <source>default</source>
            <translation>默认</translation>
        </message>
        <message>
            <source>no</source>
            <translation>否</translation>
        </message>
        <message>
            <source>none kept</source>
            <translation>未保留</translation>
        </message>
        <message>
            <source>run {run}</source>
            <translation>运行 {run}</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>是</translation>
        </message>
        <message>
            <source>{chosen} (used {used})</source>
            <translation>{chosen}（实际使用 {used}）</translation>
        </message>
        <message>
            <source>{minutes} min</source>
            <translation>{minutes} 分钟</translation>
        </message>
        <message>
            <source>{seconds} s</source>
            <translation>{seconds} 秒</translation>
        </message>
        <message>
            <source>{status}: {message}</source>
            <translation>{status}：{message}</translation>
        </message>
    </context>
    <context>
        <name>RunProgressBar</name>
        <message>
            <source>The run in progress — click to see it in the Train workspace (Alt+2)</source>
            <translation>正在进行的运行 — 单击可在训练工作区中查看 (Alt+2)</translation>
        </message>
        <message>
            <source>Training: {progress}</source>
            <translation>训练中：{progress}</translation>
        </message>
        <message>
            <source>Training…</source>
            <translation>训练中…</translation>
        </message>
    </context>
    <context>
        <name>RunStatus</name>
        <message>
            <source>cancelled</source>
            <translation>已取消</translation>
        </message>
        <message>
            <source>done</source>
            <translation>已完成</translation>
        </message>
        <message>
            <source>failed</source>
            <translation>失败</translation>
        </message>
        <message>
            <source>running</source>
            <translation>训练中</translation>
        </message>
    </context>
    <context>
        <name>RunTableModel</name>
        <message>
            <source>Accuracy</source>
            <translation>准确率</translation>
        </message>
        <message>
            <source>Active</source>
            <translation>当前</translation>
        </message>
        <message>
            <source>Backbone</source>
            <translation>骨干网络</translation>
        </message>
        <message>
            <source>Duration</source>
            <translation>用时</translation>
        </message>
        <message>
            <source>Labels</source>
            <translation>标签数</translation>
        </message>
        <message>
            <source>Macro-F1</source>
            <translation>Macro-F1</translation>
        </message>
        <message>
            <source>Method</source>
            <translation>方法</translation>
        </message>
        <message>
            <source>Run</source>
            <translation>运行</translation>
        </message>
        <message>
            <source>Started</source>
            <translation>开始时间</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
    </context>
    <context>
        <name>RunWords</name>
        <message>
            <source>Trained from the folder {folder}</source>
            <translation>基于文件夹 {folder} 训练</translation>
        </message>
        <message>
            <source>Trained from {model}</source>
            <translation>基于 {model} 训练</translation>
        </message>
        <message>
            <source>Trained from {model} at revision {revision}</source>
            <translation>基于 {model}（修订版 {revision}）训练</translation>
        </message>
        <message>
            <source>run {id}</source>
            <translation>运行 {id}</translation>
        </message>
        <message>
            <source>{accuracy} accuracy</source>
            <translation>准确率 {accuracy}</translation>
        </message>
    </context>
    <context>
        <name>ShortcutsDialog</name>
        <message>
            <source>0, Backspace</source>
            <translation>0、Backspace</translation>
        </message>
        <message>
            <source>Check labels tab: keep the label, change it to the suggestion, skip</source>
            <translation>检查标签选项卡：保留标签、改为建议的类别、跳过</translation>
        </message>
        <message>
            <source>Check labels: the labels that look wrong, most suspicious first</source>
            <translation>检查标签：看起来有误的标签，最可疑的排在最前</translation>
        </message>
        <message>
            <source>Ctrl++ or Ctrl+=, Ctrl+−</source>
            <translation>Ctrl++ 或 Ctrl+=、Ctrl+−</translation>
        </message>
        <message>
            <source>Ctrl+0, Ctrl+1</source>
            <translation>Ctrl+0、Ctrl+1</translation>
        </message>
        <message>
            <source>Ctrl+T, Ctrl+R</source>
            <translation>Ctrl+T、Ctrl+R</translation>
        </message>
        <message>
            <source>Ctrl+Z, Ctrl+Shift+Z (Ctrl+Y)</source>
            <translation>Ctrl+Z、Ctrl+Shift+Z（Ctrl+Y）</translation>
        </message>
        <message>
            <source>Does</source>
            <translation>作用</translation>
        </message>
        <message>
            <source>Enter</source>
            <translation>Enter</translation>
        </message>
        <message>
            <source>Enter (grid)</source>
            <translation>Enter（网格）</translation>
        </message>
        <message>
            <source>Escape</source>
            <translation>Esc</translation>
        </message>
        <message>
            <source>K, C or Enter, ← →</source>
            <translation>K、C 或 Enter、← →</translation>
        </message>
        <message>
            <source>Keyboard shortcuts</source>
            <translation>键盘快捷键</translation>
        </message>
        <message>
            <source>Keys</source>
            <translation>按键</translation>
        </message>
        <message>
            <source>Models: the backbones by field, downloads, access tokens</source>
            <translation>模型：按领域列出的骨干网络、下载、访问令牌</translation>
        </message>
        <message>
            <source>Results: open the result in the viewer, with its heatmap</source>
            <translation>结果：在查看器中打开该结果及其热力图</translation>
        </message>
        <message>
            <source>Review workspace: the results of a classified batch</source>
            <translation>审阅工作区：已分类批次的结果</translation>
        </message>
        <message>
            <source>Shift/Ctrl+click, drag</source>
            <translation>Shift/Ctrl+单击、拖动</translation>
        </message>
        <message>
            <source>Slides and scenes: a slide or scene with its tiles beside the viewer, or the grid again</source>
            <translation>切片和场景：在查看器旁显示切片或场景及其图块，或切换回网格</translation>
        </message>
        <message>
            <source>Slides and scenes: zoom, pan, fit; a click makes a tile the current image</source>
            <translation>切片和场景：缩放、平移、适应窗口；单击某个图块即将其设为当前图像</translation>
        </message>
        <message>
            <source>Train workspace: the training form / the Runs tab</source>
            <translation>训练工作区：训练表单 / 运行记录选项卡</translation>
        </message>
        <message>
            <source>accept the selected tiles' ◇ zero-shot suggestions as their labels (Zero-shot tab)</source>
            <translation>将所选缩略图的 ◇ 零样本建议采纳为标签（零样本选项卡）</translation>
        </message>
        <message>
            <source>classify images with the model in use; the results open in Review</source>
            <translation>用正在使用的模型分类图像；结果在审阅工作区中打开</translation>
        </message>
        <message>
            <source>clear the label</source>
            <translation>清除标签</translation>
        </message>
        <message>
            <source>clear the search and the selection; back to the grid</source>
            <translation>清除搜索和选择；返回网格</translation>
        </message>
        <message>
            <source>export: a run's model (Hugging Face folder, ONNX), the labels as CSV or class folders</source>
            <translation>导出：运行的模型（Hugging Face 文件夹、ONNX）、标签（CSV 或类别文件夹）</translation>
        </message>
        <message>
            <source>find moved images</source>
            <translation>查找已移动的图像</translation>
        </message>
        <message>
            <source>import a folder</source>
            <translation>导入文件夹</translation>
        </message>
        <message>
            <source>import slides or scenes as tiles: size, resolution and tissue share, previewed first</source>
            <translation>将切片或场景导入为图块：先预览尺寸、分辨率和组织占比</translation>
        </message>
        <message>
            <source>label next suggestions: the Suggested queue in the grid, its first image current</source>
            <translation>标注下一批建议：在网格中显示建议队列，并选中其中第一张图像</translation>
        </message>
        <message>
            <source>label the current image (or every selected image) with that class, and move on</source>
            <translation>用该类别标注当前图像（或所有选中的图像），并转到下一张</translation>
        </message>
        <message>
            <source>larger / smaller tiles</source>
            <translation>放大 / 缩小缩略图</translation>
        </message>
        <message>
            <source>next / previous image, in the grid and in the viewer</source>
            <translation>下一张 / 上一张图像（在网格和查看器中均可）</translation>
        </message>
        <message>
            <source>search file names</source>
            <translation>搜索文件名</translation>
        </message>
        <message>
            <source>select several images for one label</source>
            <translation>选择多张图像，一次标注</translation>
        </message>
        <message>
            <source>the Label workspace: the images, the viewer, the classes</source>
            <translation>标注工作区：图像、查看器、类别</translation>
        </message>
        <message>
            <source>the Review workspace: what a model said about new images</source>
            <translation>审阅工作区：模型对新图像的判断</translation>
        </message>
        <message>
            <source>the Show list: which images the grid shows</source>
            <translation>“显示”列表：网格中显示哪些图像</translation>
        </message>
        <message>
            <source>the Train workspace: the form, the live curves, the runs</source>
            <translation>训练工作区：表单、实时曲线、运行记录</translation>
        </message>
        <message>
            <source>this list</source>
            <translation>本列表</translation>
        </message>
        <message>
            <source>train (the Train workspace's Train button)</source>
            <translation>训练（训练工作区的“训练”按钮）</translation>
        </message>
        <message>
            <source>undo / redo</source>
            <translation>撤销 / 重做</translation>
        </message>
        <message>
            <source>viewer: fit the image / actual pixels</source>
            <translation>查看器：图像适应窗口 / 实际像素</translation>
        </message>
        <message>
            <source>viewer: show or hide a tile's neighbourhood around it (tiles of slides and scenes)</source>
            <translation>查看器：显示或隐藏图块四周的邻近区域（切片和场景的图块）</translation>
        </message>
        <message>
            <source>viewer: show or hide the heatmap (where the model found its evidence)</source>
            <translation>查看器：显示或隐藏热力图（模型找到依据的位置）</translation>
        </message>
        <message>
            <source>wheel, + −, arrows, Home</source>
            <translation>滚轮、+ −、方向键、Home</translation>
        </message>
    </context>
    <context>
        <name>Sizes</name>
        <message>
            <source>1 byte</source>
            <translation>1 字节</translation>
        </message>
        <message>
            <source>{count} bytes</source>
            <translation>{count} 字节</translation>
        </message>
    </context>
    <context>
        <name>SourceImportController</name>
        <message>
            <source> (importing it again goes on where it stopped)</source>
            <translation>（再次导入会从中断处继续）</translation>
        </message>
        <message>
            <source> ({rate} tiles a second)</source>
            <translation>（每秒 {rate} 个图块）</translation>
        </message>
        <message>
            <source>; could not read {name} and {more} more: {reason}</source>
            <translation>；无法读取 {name} 及另外 {more} 个文件：{reason}</translation>
        </message>
        <message>
            <source>; could not read {name}: {reason}</source>
            <translation>；无法读取 {name}：{reason}</translation>
        </message>
        <message>
            <source>Import cancelled: nothing added</source>
            <translation>导入已取消：未添加任何内容</translation>
        </message>
        <message>
            <source>Import cancelled: {names}, {tiles} added, {skipped} left out as background</source>
            <translation>导入已取消：{names}，已添加 {tiles}，{skipped} 个作为背景被排除</translation>
        </message>
        <message>
            <source>Import slides or scenes</source>
            <translation>导入切片或场景</translation>
        </message>
        <message>
            <source>Imported: {names}, {tiles} added, {skipped} left out as background</source>
            <translation>已导入：{names}，已添加 {tiles}，{skipped} 个作为背景被排除</translation>
        </message>
        <message>
            <source>Importing slides and scenes</source>
            <translation>正在导入切片和场景</translation>
        </message>
        <message>
            <source>Nothing imported</source>
            <translation>未导入任何内容</translation>
        </message>
        <message>
            <source>Reading the overview…</source>
            <translation>正在读取概览…</translation>
        </message>
        <message>
            <source>Slides and scenes (*.svs *.ndpi *.mrxs *.scn *.vms *.vmu *.bif *.svslide *.tif *.tiff);;All files (*)</source>
            <translation>切片和场景 (*.svs *.ndpi *.mrxs *.scn *.vms *.vmu *.bif *.svslide *.tif *.tiff);;所有文件 (*)</translation>
        </message>
        <message>
            <source>{count} slides or scenes</source>
            <translation>{count} 个切片或场景</translation>
        </message>
        <message>
            <source>{done} of {total} tiles read, {added} added</source>
            <translation>已读取 {done} / {total} 个图块，已添加 {added} 个</translation>
        </message>
        <message>
            <source>{done} of {total} tiles read, {rate} a second, {added} added</source>
            <translation>已读取 {done} / {total} 个图块，每秒 {rate} 个，已添加 {added} 个</translation>
        </message>
        <message>
            <source>{name} ({number} of {count})</source>
            <translation>{name}（第 {number} 个，共 {count} 个）</translation>
        </message>
        <message>
            <source>{source}: {progress}</source>
            <translation>{source}：{progress}</translation>
        </message>
    </context>
    <context>
        <name>SourceOverviewController</name>
        <message>
            <source>1 tile</source>
            <translation>1 个图块</translation>
        </message>
        <message>
            <source>No model is in use yet: train one (Ctrl+T) and its predictions colour the tiles</source>
            <translation>尚未使用任何模型：训练一个模型 (Ctrl+T) 后，其预测会为图块着色</translation>
        </message>
        <message>
            <source>No tile here is labelled yet: click a tile, then press its class's key</source>
            <translation>这里还没有已标注的图块：点击一个图块，然后按其类别的按键</translation>
        </message>
        <message>
            <source>Run {run} has not predicted these tiles yet</source>
            <translation>运行 {run} 尚未预测这些图块</translation>
        </message>
        <message>
            <source>This project has no slides or scenes yet: File ▸ Import slides or scenes… (Ctrl+Shift+I)</source>
            <translation>此项目还没有切片或场景：请使用“文件 ▸ 导入切片或场景…” (Ctrl+Shift+I)</translation>
        </message>
        <message>
            <source>{count} left out as background</source>
            <translation>{count} 个作为背景被排除</translation>
        </message>
        <message>
            <source>{count} left out as no data</source>
            <translation>{count} 个因无数据被排除</translation>
        </message>
        <message>
            <source>{count} tiles</source>
            <translation>{count} 个图块</translation>
        </message>
        <message>
            <source>{mpp} µm per pixel</source>
            <translation>每像素 {mpp} µm</translation>
        </message>
        <message>
            <source>{name} ({tiles})</source>
            <translation>{name}（{tiles}）</translation>
        </message>
        <message>
            <source>{tiles} of {size} px</source>
            <translation>{tiles}（每块 {size} 像素）</translation>
        </message>
        <message>
            <source>{tiles} of {size} px at {mpp} µm/px</source>
            <translation>{tiles}（每块 {size} 像素，{mpp} µm/像素）</translation>
        </message>
        <message>
            <source>{width} × {height} px</source>
            <translation>{width} × {height} 像素</translation>
        </message>
    </context>
    <context>
        <name>SourceOverviewPanel</name>
        <message>
            <source>Colour by:</source>
            <translation>着色依据：</translation>
        </message>
        <message>
            <source>Colour the tiles by their label or by the model's prediction</source>
            <translation>按标签或模型预测为图块着色</translation>
        </message>
        <message>
            <source>Fit</source>
            <translation>适应窗口</translation>
        </message>
        <message>
            <source>How strongly the tiles are coloured</source>
            <translation>图块着色的浓淡</translation>
        </message>
        <message>
            <source>Labels</source>
            <translation>标签</translation>
        </message>
        <message>
            <source>Opacity:</source>
            <translation>不透明度：</translation>
        </message>
        <message>
            <source>Predictions</source>
            <translation>预测</translation>
        </message>
        <message>
            <source>Slide or scene:</source>
            <translation>切片或场景：</translation>
        </message>
        <message>
            <source>The whole slide or scene in view (Home)</source>
            <translation>显示整张切片或场景 (Home)</translation>
        </message>
        <message>
            <source>Which slide or scene to show</source>
            <translation>要显示的切片或场景</translation>
        </message>
        <message>
            <source>{chip}&amp;nbsp;suggested&amp;nbsp;{count}</source>
            <translation>{chip}&amp;nbsp;建议&amp;nbsp;{count}</translation>
        </message>
    </context>
    <context>
        <name>SourceOverviewView</name>
        <message>
            <source>Label: {name}</source>
            <translation>标签：{name}</translation>
        </message>
        <message>
            <source>No slide or scene to show</source>
            <translation>没有可显示的切片或场景</translation>
        </message>
        <message>
            <source>Not labelled</source>
            <translation>未标注</translation>
        </message>
        <message>
            <source>predicted: {name} ({confidence})</source>
            <translation>预测：{name}（{confidence}）</translation>
        </message>
    </context>
    <context>
        <name>SuggestionController</name>
        <message>
            <source> ({images} could not be read)</source>
            <translation>（{images}无法读取）</translation>
        </message>
        <message>
            <source>, by {strategy}</source>
            <translation>，采用“{strategy}”</translation>
        </message>
        <message>
            <source>, {strategy} until two classes have labels</source>
            <translation>，在两个类别有标签之前采用“{strategy}”</translation>
        </message>
        <message>
            <source>.</source>
            <translation>。</translation>
        </message>
        <message>
            <source>1 image</source>
            <translation>1 张图像</translation>
        </message>
        <message>
            <source>1 suggestion</source>
            <translation>1 条建议</translation>
        </message>
        <message>
            <source>1 unlabelled image</source>
            <translation>1 张未标注图像</translation>
        </message>
        <message>
            <source>; </source>
            <translation>；</translation>
        </message>
        <message>
            <source>; image features of {model}</source>
            <translation>；图像特征来自 {model}</translation>
        </message>
        <message>
            <source>Choose another model in the Train workspace's form (Ctrl+T), then press Label next suggestions (N).</source>
            <translation>请在训练工作区的表单中选择其他模型（Ctrl+T），然后按“标注下一批建议”（N）。</translation>
        </message>
        <message>
            <source>Computing image features with {model}…</source>
            <translation>正在使用 {model} 计算图像特征…</translation>
        </message>
        <message>
            <source>Finding the model for image features…</source>
            <translation>正在查找用于计算图像特征的模型…</translation>
        </message>
        <message>
            <source>Image features of {images} ready{skipped}; choosing suggestions…</source>
            <translation>{images}的图像特征已就绪{skipped}；正在挑选建议…</translation>
        </message>
        <message>
            <source>No images to suggest yet: import images first.</source>
            <translation>暂无可建议的图像：请先导入图像。</translation>
        </message>
        <message>
            <source>No new suggestions: every other image has a label.</source>
            <translation>没有新的建议：其余图像都已有标签。</translation>
        </message>
        <message>
            <source>No new suggestions: of the {images}, {reasons}.</source>
            <translation>没有新的建议：在 {images}中，{reasons}。</translation>
        </message>
        <message>
            <source>No suggestions left: every image has a label. Import more images to go on.</source>
            <translation>没有剩余的建议：所有图像都已有标签。导入更多图像以继续。</translation>
        </message>
        <message>
            <source>No suggestions: {reason}</source>
            <translation>无建议：{reason}</translation>
        </message>
        <message>
            <source>Stopped computing image features; those computed are kept. Press Label next suggestions (N) to go on.</source>
            <translation>已停止计算图像特征；已计算的部分会保留。按“标注下一批建议”（N）继续。</translation>
        </message>
        <message>
            <source>Suggestions are off: press Label next suggestions (N) to start.</source>
            <translation>建议功能未开启：按“标注下一批建议”（N）开始。</translation>
        </message>
        <message>
            <source>unknown error</source>
            <translation>未知错误</translation>
        </message>
        <message>
            <source>{n} already in the queue</source>
            <translation>{n} 张已在队列中</translation>
        </message>
        <message>
            <source>{n} could not be read</source>
            <translation>{n} 张无法读取</translation>
        </message>
        <message>
            <source>{n} images</source>
            <translation>{n} 张图像</translation>
        </message>
        <message>
            <source>{n} of the {images} ({reasons})</source>
            <translation>{images}中的 {n} 张（{reasons}）</translation>
        </message>
        <message>
            <source>{n} suggestions</source>
            <translation>{n} 条建议</translation>
        </message>
        <message>
            <source>{n} unlabelled images</source>
            <translation>{n} 张未标注图像</translation>
        </message>
        <message>
            <source>{suggestions} from {images} in {seconds} s</source>
            <translation>从 {images}中选出 {suggestions}，用时 {seconds} 秒</translation>
        </message>
    </context>
    <context>
        <name>SuggestionPanel</name>
        <message>
            <source>1 label</source>
            <translation>1 个标签</translation>
        </message>
        <message>
            <source>1 labelled image set aside for checking</source>
            <translation>1 张留作检验的已标注图像</translation>
        </message>
        <message>
            <source>; few images, so a rough figure</source>
            <translation>；图像较少，仅为粗略数字</translation>
        </message>
        <message>
            <source>Accuracy {accuracy} with {labels} ({where}).</source>
            <translation>有 {labels}时准确率为 {accuracy}（{where}）。</translation>
        </message>
        <message>
            <source>Am I done?</source>
            <translation>标注够了吗？</translation>
        </message>
        <message>
            <source>At the last refresh no predicted class changed.</source>
            <translation>上次刷新时，没有任何预测类别发生变化。</translation>
        </message>
        <message>
            <source>At the last refresh the predicted class changed for {share} of the unlabelled images.</source>
            <translation>上次刷新时，{share} 的未标注图像的预测类别发生了变化。</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>How the next images to label are chosen</source>
            <translation>如何挑选接下来要标注的图像</translation>
        </message>
        <message>
            <source>Image features: %v of %m</source>
            <translation>图像特征：%v / %m</translation>
        </message>
        <message>
            <source>Label next suggestions  (N)</source>
            <translation>标注下一批建议  (N)</translation>
        </message>
        <message>
            <source>No accuracy estimate yet.</source>
            <translation>暂无准确率估计。</translation>
        </message>
        <message>
            <source>Show the suggested images in the grid, the first one selected: label it with its class key and the next suggestion follows.</source>
            <translation>在网格中显示建议的图像并选中第一张：用类别快捷键标注后，会自动跳到下一条建议。</translation>
        </message>
        <message>
            <source>Stop computing image features (those computed are kept)</source>
            <translation>停止计算图像特征（已计算的部分会保留）</translation>
        </message>
        <message>
            <source>Suggest:</source>
            <translation>建议方式：</translation>
        </message>
        <message>
            <source>estimated on {checked}</source>
            <translation>基于 {checked}估计</translation>
        </message>
        <message>
            <source>training run {run}</source>
            <translation>运行 {run}</translation>
        </message>
        <message>
            <source>training run {run}, checked on {checked}</source>
            <translation>运行 {run}，在 {checked}上检验</translation>
        </message>
        <message>
            <source>{labels} since the last refresh · refreshes every {every} labels</source>
            <translation>自上次刷新以来新增 {labels} · 每 {every} 个标签刷新一次</translation>
        </message>
        <message>
            <source>{n} labelled images set aside for checking</source>
            <translation>{n} 张留作检验的已标注图像</translation>
        </message>
        <message>
            <source>{n} labels</source>
            <translation>{n} 个标签</translation>
        </message>
    </context>
    <context>
        <name>ThumbnailDelegate</name>
        <message>
            <source>≈ group {number}</source>
            <translation>≈ 第 {number} 组</translation>
        </message>
        <message>
            <source>⚠ unreadable</source>
            <translation>⚠ 无法读取</translation>
        </message>
    </context>
    <context>
        <name>ThumbnailLoader</name>
        <message>
            <source>the cached thumbnail is damaged</source>
            <translation>缓存的缩略图已损坏</translation>
        </message>
    </context>
    <context>
        <name>TileContextLayer</name>
        <message>
            <source>Context</source>
            <translation>周边</translation>
        </message>
        <message>
            <source>Show the tile's neighbourhood around it (X)</source>
            <translation>在图块四周显示其邻近区域 (X)</translation>
        </message>
    </context>
    <context>
        <name>TileImportDialog</name>
        <message>
            <source> ({mpp} µm/px)</source>
            <translation>（{mpp} µm/像素）</translation>
        </message>
        <message>
            <source> px</source>
            <translation> 像素</translation>
        </message>
        <message>
            <source>, full resolution</source>
            <translation>，全分辨率</translation>
        </message>
        <message>
            <source>1 level</source>
            <translation>1 层</translation>
        </message>
        <message>
            <source>Automatic</source>
            <translation>自动</translation>
        </message>
        <message>
            <source>Could not read {name}: {error}</source>
            <translation>无法读取 {name}：{error}</translation>
        </message>
        <message>
            <source>Dim the parts of the picture that are not tissue (slides) or hold no data (scenes)</source>
            <translation>调暗图中不是组织（切片）或没有数据（场景）的部分</translation>
        </message>
        <message>
            <source>Dim what is left out</source>
            <translation>调暗排除的部分</translation>
        </message>
        <message>
            <source>Find the tissue by Otsu's threshold on colour saturation</source>
            <translation>用 Otsu 阈值法按颜色饱和度识别组织</translation>
        </message>
        <message>
            <source>Import</source>
            <translation>导入</translation>
        </message>
        <message>
            <source>Import 1 tile</source>
            <translation>导入 1 个图块</translation>
        </message>
        <message>
            <source>Import slides or scenes as tiles</source>
            <translation>将切片或场景导入为图块</translation>
        </message>
        <message>
            <source>Import {count} tiles</source>
            <translation>导入 {count} 个图块</translation>
        </message>
        <message>
            <source>Level {index}: {width} × {height} px</source>
            <translation>第 {index} 层：{width} × {height} 像素</translation>
        </message>
        <message>
            <source>Minimum tissue:</source>
            <translation>最少组织：</translation>
        </message>
        <message>
            <source>Minimum valid data:</source>
            <translation>最少有效数据：</translation>
        </message>
        <message>
            <source>Resolution:</source>
            <translation>分辨率：</translation>
        </message>
        <message>
            <source>The resolution of the tiles: microns per pixel, or a level of the file's pyramid</source>
            <translation>图块的分辨率：每像素微米数，或文件金字塔中的某一层</translation>
        </message>
        <message>
            <source>Tile size:</source>
            <translation>图块大小：</translation>
        </message>
        <message>
            <source>Tissue threshold:</source>
            <translation>组织阈值：</translation>
        </message>
        <message>
            <source>{count} levels</source>
            <translation>{count} 层</translation>
        </message>
        <message>
            <source>{mpp} µm per pixel</source>
            <translation>每像素 {mpp} µm</translation>
        </message>
        <message>
            <source>{name} and 1 more file, cut the same way</source>
            <translation>{name} 及另外 1 个文件，按相同方式切分</translation>
        </message>
        <message>
            <source>{name} and {count} more files, cut the same way</source>
            <translation>{name} 及另外 {count} 个文件，按相同方式切分</translation>
        </message>
        <message>
            <source>{tiles} of {size} px at {mpp} µm/px kept, {left} left out as background (read from level {level})</source>
            <translation>保留 {tiles}（每块 {size} 像素，{mpp} µm/像素），{left} 个作为背景被排除（读取自第 {level} 层）</translation>
        </message>
        <message>
            <source>{tiles} of {size} px at {mpp} µm/px kept, {left} left out as no data (read from level {level})</source>
            <translation>保留 {tiles}（每块 {size} 像素，{mpp} µm/像素），{left} 个因无数据被排除（读取自第 {level} 层）</translation>
        </message>
        <message>
            <source>{tiles} of {size} px kept, {left} left out as background (read from level {level})</source>
            <translation>保留 {tiles}（每块 {size} 像素），{left} 个作为背景被排除（读取自第 {level} 层）</translation>
        </message>
        <message>
            <source>{tiles} of {size} px kept, {left} left out as no data (read from level {level})</source>
            <translation>保留 {tiles}（每块 {size} 像素），{left} 个因无数据被排除（读取自第 {level} 层）</translation>
        </message>
        <message>
            <source>{width} × {height} px</source>
            <translation>{width} × {height} 像素</translation>
        </message>
    </context>
    <context>
        <name>TilePreviewView</name>
        <message>
            <source>Reading the overview…</source>
            <translation>正在读取概览…</translation>
        </message>
    </context>
    <context>
        <name>TokenBox</name>
        <message>
            <source>A token is saved.</source>
            <translation>已保存令牌。</translation>
        </message>
        <message>
            <source>Access token forgotten.</source>
            <translation>访问令牌已清除。</translation>
        </message>
        <message>
            <source>Access token saved.</source>
            <translation>访问令牌已保存。</translation>
        </message>
        <message>
            <source>Forget</source>
            <translation>清除</translation>
        </message>
        <message>
            <source>Hugging Face access token</source>
            <translation>Hugging Face 访问令牌</translation>
        </message>
        <message>
            <source>No token is saved.</source>
            <translation>尚未保存令牌。</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <source>The token was not removed: {error}</source>
            <translation>令牌未移除：{error}</translation>
        </message>
        <message>
            <source>The token was not saved: {error}</source>
            <translation>令牌未保存：{error}</translation>
        </message>
        <message>
            <source>huggingface_hub's token file</source>
            <translation>huggingface_hub 的令牌文件</translation>
        </message>
        <message>
            <source>{state} Only models with accepted terms need one. It is kept in huggingface_hub's own token file ({where}), never in the project. &lt;a href="{url}"&gt;Make a token&lt;/a&gt; (read access is enough).</source>
            <translation>{state}只有需要接受条款的模型才需要令牌。令牌保存在 huggingface_hub 自己的令牌文件（{where}）中，绝不会保存在项目里。&lt;a href="{url}"&gt;创建令牌&lt;/a&gt;（只需读取权限）。</translation>
        </message>
    </context>
    <context>
        <name>TrainWorkspace</name>
        <message>
            <source>Curves: a run's loss and validation scores</source>
            <translation>曲线：运行的损失和验证分数</translation>
        </message>
        <message>
            <source>Loading the training libraries…</source>
            <translation>正在加载训练库…</translation>
        </message>
        <message>
            <source>Preparing training…</source>
            <translation>正在准备训练…</translation>
        </message>
        <message>
            <source>Run {run} scores {new} on the {count} validation images both runs were checked on; the active run {active} scores {old} on them.

Use run {run} for predictions anyway?</source>
            <translation>在两次运行都检验过的 {count} 张验证图像上，运行 {run} 的得分为 {new}；当前运行 {active} 在这些图像上的得分为 {old}。

仍要使用运行 {run} 进行预测吗？</translation>
        </message>
        <message>
            <source>Run {run}: how its loss and validation scores went (selected in Runs)</source>
            <translation>运行 {run}：损失和验证分数的变化（在“运行记录”中选中）</translation>
        </message>
        <message>
            <source>Runs</source>
            <translation>运行记录</translation>
        </message>
        <message>
            <source>The run failed: its curves so far</source>
            <translation>运行失败：截至失败时的曲线</translation>
        </message>
        <message>
            <source>The run in progress: its loss and validation scores, live</source>
            <translation>进行中的运行：实时损失和验证分数</translation>
        </message>
        <message>
            <source>Training is unavailable: the machine-learning libraries did not load ({reason}).</source>
            <translation>无法训练：机器学习库未能加载（{reason}）。</translation>
        </message>
        <message>
            <source>Use the new run?</source>
            <translation>使用新的运行？</translation>
        </message>
    </context>
    <context>
        <name>TrainingPanel</name>
        <message>
            <source> (best so far)</source>
            <translation>（目前最佳）</translation>
        </message>
        <message>
            <source>1 notice on the Runs tab.</source>
            <translation>“运行记录”标签页中有 1 条提示。</translation>
        </message>
        <message>
            <source>Apple MPS</source>
            <translation>Apple MPS</translation>
        </message>
        <message>
            <source>Browse…</source>
            <translation>浏览…</translation>
        </message>
        <message>
            <source>CPU ({threads} threads)</source>
            <translation>CPU（{threads} 个线程）</translation>
        </message>
        <message>
            <source>CUDA GPU</source>
            <translation>CUDA GPU</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Cancelling after this step…</source>
            <translation>将在这一步之后取消…</translation>
        </message>
        <message>
            <source>Choose a model folder (Hugging Face format)</source>
            <translation>选择模型文件夹（Hugging Face 格式）</translation>
        </message>
        <message>
            <source>Download the model?</source>
            <translation>下载模型？</translation>
        </message>
        <message>
            <source>Downloading {model} (Models page): press Train once it is on this machine.</source>
            <translation>正在下载 {model}（模型页面）：下载到本机后请点击“训练”。</translation>
        </message>
        <message>
            <source>Downloads on first use (needs the internet once).</source>
            <translation>首次使用时下载（需联网一次）。</translation>
        </message>
        <message>
            <source>Last run: {run}</source>
            <translation>上次运行：{run}</translation>
        </message>
        <message>
            <source>Loading {model}…</source>
            <translation>正在加载 {model}…</translation>
        </message>
        <message>
            <source>Models…</source>
            <translation>模型…</translation>
        </message>
        <message>
            <source>No run yet</source>
            <translation>尚无运行</translation>
        </message>
        <message>
            <source>Not started: {model} is not on this machine (the Models page downloads it).</source>
            <translation>未开始：{model} 不在本机上（可在模型页面下载）。</translation>
        </message>
        <message>
            <source>On this machine ({size} MB).</source>
            <translation>已在本机（{size} MB）。</translation>
        </message>
        <message>
            <source>Read-only ({reason}): training needs the project open for writing.</source>
            <translation>只读（{reason}）：训练需要以可写方式打开项目。</translation>
        </message>
        <message>
            <source>Ready: choose a model and a method, then Train (Ctrl+Enter).</source>
            <translation>就绪：选择模型和方法，然后点击“训练”（Ctrl+Enter）。</translation>
        </message>
        <message>
            <source>Run failed</source>
            <translation>运行失败</translation>
        </message>
        <message>
            <source>Run {run} failed</source>
            <translation>运行 {run} 失败</translation>
        </message>
        <message>
            <source>Run {run} {status}</source>
            <translation>运行 {run} {status}</translation>
        </message>
        <message>
            <source>Run {run} {status} — accuracy {accuracy}</source>
            <translation>运行 {run} {status} — 准确率 {accuracy}</translation>
        </message>
        <message>
            <source>Run {run} {status}.</source>
            <translation>运行 {run} {status}。</translation>
        </message>
        <message>
            <source>Run {run} {status}: accuracy {accuracy}, macro-F1 {f1}.</source>
            <translation>运行 {run} {status}：准确率 {accuracy}，Macro-F1 {f1}。</translation>
        </message>
        <message>
            <source>Run {run}: {message}</source>
            <translation>运行 {run}：{message}</translation>
        </message>
        <message>
            <source>The Models page shows its progress; Train again once it is done.</source>
            <translation>模型页面会显示下载进度；完成后请再次点击“训练”。</translation>
        </message>
        <message>
            <source>The loss and validation curves appear here while a model trains.</source>
            <translation>模型训练时，损失和验证曲线会显示在这里。</translation>
        </message>
        <message>
            <source>Train</source>
            <translation>训练</translation>
        </message>
        <message>
            <source>Train a model on the labelled images (you can keep labelling) — Ctrl+Enter</source>
            <translation>用已标注的图像训练模型（训练时可以继续标注）— Ctrl+Enter</translation>
        </message>
        <message>
            <source>Train anyway?</source>
            <translation>仍要训练吗？</translation>
        </message>
        <message>
            <source>Training failed: {message}</source>
            <translation>训练失败：{message}</translation>
        </message>
        <message>
            <source>Training settings</source>
            <translation>训练设置</translation>
        </message>
        <message>
            <source>Training: the model learns from the labelled images.</source>
            <translation>训练中：模型正在从已标注的图像中学习。</translation>
        </message>
        <message>
            <source>Use a model folder on this machine (Hugging Face format, safetensors weights)</source>
            <translation>使用本机上的模型文件夹（Hugging Face 格式，safetensors 权重）</translation>
        </message>
        <message>
            <source>Which models are on this machine; download or delete them (Ctrl+Shift+M)</source>
            <translation>查看本机上有哪些模型；下载或删除模型（Ctrl+Shift+M）</translation>
        </message>
        <message>
            <source>auto — detecting…</source>
            <translation>自动 — 正在检测…</translation>
        </message>
        <message>
            <source>auto — {device}</source>
            <translation>自动 — {device}</translation>
        </message>
        <message>
            <source>epoch {epoch}/{epochs} · step {step}/{steps} · {speed} img/s · ETA {eta}</source>
            <translation>轮次 {epoch}/{epochs} · 步 {step}/{steps} · {speed} 张/秒 · 剩余 {eta}</translation>
        </message>
        <message>
            <source>epoch {epoch}: validation loss {loss}, accuracy {accuracy}, macro-F1 {f1}</source>
            <translation>第 {epoch} 轮：验证损失 {loss}，准确率 {accuracy}，Macro-F1 {f1}</translation>
        </message>
        <message>
            <source>starting…</source>
            <translation>正在启动…</translation>
        </message>
        <message>
            <source>{accuracy} accuracy</source>
            <translation>准确率 {accuracy}</translation>
        </message>
        <message>
            <source>{count} notices on the Runs tab.</source>
            <translation>“运行记录”标签页中有 {count} 条提示。</translation>
        </message>
        <message>
            <source>{description}. {where}</source>
            <translation>{description}。{where}</translation>
        </message>
        <message>
            <source>{model} is not on this machine and cannot be downloaded now. {reason}</source>
            <translation>{model} 不在本机上，且现在无法下载。{reason}</translation>
        </message>
        <message>
            <source>{model} is not on this machine yet. Download it now?</source>
            <translation>{model} 尚未在本机上。现在下载吗？</translation>
        </message>
        <message>
            <source>{summary}: {cost}.</source>
            <translation>{summary}：{cost}。</translation>
        </message>
        <message>
            <source>{words}.</source>
            <translation>{words}。</translation>
        </message>
    </context>
    <context>
        <name>TrainingPlot</name>
        <message>
            <source>F1</source>
            <translation>F1</translation>
        </message>
        <message>
            <source>Loss</source>
            <translation>损失</translation>
        </message>
        <message>
            <source>Loss: training (light blue raw, dark blue smoothed), validation (orange). Validation: accuracy (green), macro-F1 (purple).</source>
            <translation>损失：训练（浅蓝为原始值，深蓝为平滑值），验证（橙色）。验证：准确率（绿色），Macro-F1（紫色）。</translation>
        </message>
        <message>
            <source>Validation</source>
            <translation>验证</translation>
        </message>
        <message>
            <source>acc.</source>
            <translation>准确率</translation>
        </message>
        <message>
            <source>accuracy</source>
            <translation>准确率</translation>
        </message>
        <message>
            <source>epoch</source>
            <translation>轮次</translation>
        </message>
        <message>
            <source>macro-F1</source>
            <translation>Macro-F1</translation>
        </message>
        <message>
            <source>smoothed</source>
            <translation>平滑</translation>
        </message>
        <message>
            <source>step</source>
            <translation>步</translation>
        </message>
        <message>
            <source>train</source>
            <translation>训练</translation>
        </message>
        <message>
            <source>train (raw)</source>
            <translation>训练（原始）</translation>
        </message>
        <message>
            <source>train (smoothed)</source>
            <translation>训练（平滑）</translation>
        </message>
        <message>
            <source>training</source>
            <translation>训练</translation>
        </message>
        <message>
            <source>val.</source>
            <translation>验证</translation>
        </message>
        <message>
            <source>validation</source>
            <translation>验证</translation>
        </message>
    </context>
    <context>
        <name>ViewerPanel</name>
        <message>
            <source>Actual pixels (Ctrl+1)</source>
            <translation>实际像素 (Ctrl+1)</translation>
        </message>
        <message>
            <source>Back to the file's window</source>
            <translation>恢复文件自带的窗宽/窗位</translation>
        </message>
        <message>
            <source>Computing the heatmap with run {run}…</source>
            <translation>正在用运行 {run} 计算热力图…</translation>
        </message>
        <message>
            <source>Could not read this file</source>
            <translation>无法读取此文件</translation>
        </message>
        <message>
            <source>Fade the heatmap in or out</source>
            <translation>调节热力图的透明度</translation>
        </message>
        <message>
            <source>Fit</source>
            <translation>适应窗口</translation>
        </message>
        <message>
            <source>Fit the image in the view (Ctrl+0)</source>
            <translation>使图像适应视图 (Ctrl+0)</translation>
        </message>
        <message>
            <source>Heatmap</source>
            <translation>热力图</translation>
        </message>
        <message>
            <source>Heatmap for '{name}' ({probability}): where the model saw it</source>
            <translation>“{name}”的热力图（{probability}）：模型从这些位置看出该类别</translation>
        </message>
        <message>
            <source>Loading {file} …</source>
            <translation>正在加载 {file} …</translation>
        </message>
        <message>
            <source>No heatmap: no trained model is in use (Runs ▸ Use for predictions)</source>
            <translation>无热力图：当前没有使用已训练的模型（运行记录 ▸ 用于预测）</translation>
        </message>
        <message>
            <source>No heatmap: {reason}</source>
            <translation>无热力图：{reason}</translation>
        </message>
        <message>
            <source>No image</source>
            <translation>无图像</translation>
        </message>
        <message>
            <source>Reset W/L</source>
            <translation>重置窗宽/窗位</translation>
        </message>
        <message>
            <source>Show where the model found its evidence for the class (H)</source>
            <translation>显示模型判断该类别所依据的位置 (H)</translation>
        </message>
        <message>
            <source>The evidence for the predicted class '{name}', by {method}; the slider beside the Heatmap button fades it</source>
            <translation>预测类别“{name}”的依据，由 {method} 计算；“热力图”按钮旁的滑块可调节其透明度</translation>
        </message>
        <message>
            <source>W {width} / L {level}</source>
            <translation>窗宽 {width} / 窗位 {level}</translation>
        </message>
        <message>
            <source>Window presets (right-drag on the image to adjust)</source>
            <translation>窗宽/窗位预设（在图像上按住右键拖动可调整）</translation>
        </message>
        <message>
            <source>not imported: it could not be read</source>
            <translation>未导入：无法读取</translation>
        </message>
        <message>
            <source>{count} bands</source>
            <translation>{count} 个波段</translation>
        </message>
        <message>
            <source>{depth}-bit</source>
            <translation>{depth} 位</translation>
        </message>
        <message>
            <source>{unreadable}: {reason}</source>
            <translation>{unreadable}：{reason}</translation>
        </message>
    </context>
    <context>
        <name>WelcomeView</name>
        <message>
            <source>1  Label</source>
            <translation>1  标注</translation>
        </message>
        <message>
            <source>2  Train</source>
            <translation>2  训练</translation>
        </message>
        <message>
            <source>3  Use</source>
            <translation>3  使用</translation>
        </message>
        <message>
            <source>60 small microscope-like images in three classes, most already labelled</source>
            <translation>60 张类似显微镜图像的小图，分三类，大部分已标注</translation>
        </message>
        <message>
            <source>Drag a folder of images in; press 1–9 to give each image its class.</source>
            <translation>拖入一个图像文件夹；按 1–9 为每张图像指定类别。</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>语言</translation>
        </message>
        <message>
            <source>Loupe project (*.loupe)</source>
            <translation>Loupe 项目 (*.loupe)</translation>
        </message>
        <message>
            <source>New Loupe project</source>
            <translation>新建 Loupe 项目</translation>
        </message>
        <message>
            <source>New project…</source>
            <translation>新建项目…</translation>
        </message>
        <message>
            <source>No projects yet: try the sample project above, or start a new one.</source>
            <translation>还没有项目：试试上面的示例项目，或新建一个。</translation>
        </message>
        <message>
            <source>One click fine-tunes a pretrained model on your labels, on this machine.</source>
            <translation>一键在本机用您的标签微调预训练模型。</translation>
        </message>
        <message>
            <source>Open a Loupe project</source>
            <translation>打开 Loupe 项目</translation>
        </message>
        <message>
            <source>Open project…</source>
            <translation>打开项目…</translation>
        </message>
        <message>
            <source>Preparing the sample project…</source>
            <translation>正在准备示例项目…</translation>
        </message>
        <message>
            <source>Recent projects (double-click to open):</source>
            <translation>最近的项目（双击打开）：</translation>
        </message>
        <message>
            <source>See its scores and mistakes; predictions appear on every image.</source>
            <translation>查看评分和错误；每张图像上都会显示预测。</translation>
        </message>
        <message>
            <source>Try it on the sample project</source>
            <translation>用示例项目试一试</translation>
        </message>
        <message>
            <source>Turn a folder of images into a classifier you can trust — on this machine.</source>
            <translation>把一个图像文件夹变成值得信赖的分类器——就在本机。</translation>
        </message>
        <message>
            <source>Welcome to Loupe</source>
            <translation>欢迎使用 Loupe</translation>
        </message>
    </context>
    <context>
        <name>Workspaces</name>
        <message>
            <source>Browse the images and label them (Alt+1)</source>
            <translation>浏览图像并进行标注 (Alt+1)</translation>
        </message>
        <message>
            <source>Check what a model said about new images, accept it as labels (Alt+3)</source>
            <translation>查看模型对新图像的判断，并将其采纳为标签 (Alt+3)</translation>
        </message>
        <message>
            <source>Label</source>
            <translation>标注</translation>
        </message>
        <message>
            <source>Label workspace</source>
            <translation>标注工作区</translation>
        </message>
        <message>
            <source>Review</source>
            <translation>审阅</translation>
        </message>
        <message>
            <source>Review workspace</source>
            <translation>审阅工作区</translation>
        </message>
        <message>
            <source>Train</source>
            <translation>训练</translation>
        </message>
        <message>
            <source>Train a model, watch it learn, compare runs (Alt+2)</source>
            <translation>训练模型、观察学习过程、比较各次运行 (Alt+2)</translation>
        </message>
        <message>
            <source>Train workspace</source>
            <translation>训练工作区</translation>
        </message>
    </context>
    <context>
        <name>ZeroShotController</name>
        <message>
            <source>Accept the zero-shot suggestion</source>
            <translation>采纳零样本建议</translation>
        </message>
        <message>
            <source>Accepting 1 zero-shot label (Ctrl+Z undoes)</source>
            <translation>正在采纳 1 个零样本标签（Ctrl+Z 可撤销）</translation>
        </message>
        <message>
            <source>Accepting {n} zero-shot labels (Ctrl+Z undoes)</source>
            <translation>正在采纳 {n} 个零样本标签（Ctrl+Z 可撤销）</translation>
        </message>
        <message>
            <source>Downloading {model}</source>
            <translation>正在下载 {model}</translation>
        </message>
        <message>
            <source>No zero-shot suggestion on the selected images (Run zero-shot in its panel)</source>
            <translation>所选图像没有零样本建议（请在零样本面板中运行零样本）</translation>
        </message>
    </context>
    <context>
        <name>ZeroShotPanel</name>
        <message>
            <source>.</source>
            <translation>。</translation>
        </message>
        <message>
            <source>. Not downloadable: {reason}</source>
            <translation>。无法下载：{reason}</translation>
        </message>
        <message>
            <source>; 1 image could not be read.</source>
            <translation>；1 张图像无法读取。</translation>
        </message>
        <message>
            <source>; {n} images could not be read.</source>
            <translation>；{n} 张图像无法读取。</translation>
        </message>
        <message>
            <source>A zero-shot preset, a hub id, or a model folder (transformers CLIP/SigLIP or open_clip)</source>
            <translation>零样本预设、Hub ID 或模型文件夹（transformers CLIP/SigLIP 或 open_clip）</translation>
        </message>
        <message>
            <source>Accept all above</source>
            <translation>采纳高于阈值的全部</translation>
        </message>
        <message>
            <source>Accept zero-shot labels?</source>
            <translation>采纳零样本标签？</translation>
        </message>
        <message>
            <source>Accept {count} above</source>
            <translation>采纳高于阈值的 {count} 个</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>In the grid, Enter accepts the selected tiles' ◇ suggestions; Ctrl+Z undoes.</source>
            <translation>在网格中按 Enter 可采纳所选图块的 ◇ 建议；Ctrl+Z 可撤销。</translation>
        </message>
        <message>
            <source>It is one action: Ctrl+Z undoes it.</source>
            <translation>这是一次操作：Ctrl+Z 可将其撤销。</translation>
        </message>
        <message>
            <source>Label 1 image with its zero-shot class (confidence {threshold} or more)?</source>
            <translation>将 1 张图像标注为其零样本类别（置信度 {threshold} 及以上）？</translation>
        </message>
        <message>
            <source>Label {n} images with their zero-shot class (confidence {threshold} or more)?</source>
            <translation>将 {n} 张图像标注为其零样本类别（置信度 {threshold} 及以上）？</translation>
        </message>
        <message>
            <source>Loading the model…</source>
            <translation>正在加载模型…</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>Not run yet.</source>
            <translation>尚未运行。</translation>
        </message>
        <message>
            <source>Pre-labels from the class names with a CLIP-family model, before any training</source>
            <translation>在任何训练之前，用 CLIP 系列模型根据类别名称进行预标注</translation>
        </message>
        <message>
            <source>Prompt templates, one per line ({} is the class)</source>
            <translation>提示词模板，每行一个（{} 代表类别）</translation>
        </message>
        <message>
            <source>Run zero-shot</source>
            <translation>运行零样本</translation>
        </message>
        <message>
            <source>Zero-shot</source>
            <translation>零样本</translation>
        </message>
        <message>
            <source>Zero-shot classes for 1 unlabelled image</source>
            <translation>已为 1 张未标注图像给出零样本类别</translation>
        </message>
        <message>
            <source>Zero-shot classes for {n} unlabelled images</source>
            <translation>已为 {n} 张未标注图像给出零样本类别</translation>
        </message>
        <message>
            <source>Zero-shot guesses each image's class from the class names alone, before any training. It can be poor on specialist images (slides, scans, satellite tiles): compare it with your own labels below before accepting many. Class descriptions are part of the prompt.</source>
            <translation>零样本在任何训练之前，仅凭类别名称猜测每张图像的类别。对于专业图像（切片、扫描影像、卫星图块），效果可能较差：在大量采纳之前，请先在下方将其与您自己的标签进行比较。类别描述也会作为提示词的一部分。</translation>
        </message>
        <message>
            <source>{description} ({domain})</source>
            <translation>{description}（{domain}）</translation>
        </message>
    </context>
    <context>
        <name>core</name>
        <message>
            <source>100 % of the weights; best with many labels, wants a GPU and the most memory</source>
            <translation>100% 的权重；标签多时效果最好，需要 GPU，且显存占用最大</translation>
        </message>
        <message>
            <source>AdaLoRA</source>
            <translation>AdaLoRA</translation>
        </message>
        <message>
            <source>AdamW weight decay.</source>
            <translation>AdamW 权重衰减。</translation>
        </message>
        <message>
            <source>Augmentation</source>
            <translation>数据增强</translation>
        </message>
        <message>
            <source>Auto (robust range)</source>
            <translation>自动（稳健范围）</translation>
        </message>
        <message>
            <source>Backbone: a preset name, a Hugging Face hub id, or a local folder.</source>
            <translation>骨干网络：预设名称、Hugging Face Hub ID 或本地文件夹。</translation>
        </message>
        <message>
            <source>Balance classes</source>
            <translation>平衡类别</translation>
        </message>
        <message>
            <source>Batch size</source>
            <translation>批大小</translation>
        </message>
        <message>
            <source>Before any model: one typical image from each group of similar images.</source>
            <translation>在有模型之前：从每组相似图像中各选一张典型图像。</translation>
        </message>
        <message>
            <source>BiomedCLIP (Microsoft): ViT-B/16 + PubMedBERT trained on 15 M figure-caption pairs (open_clip)</source>
            <translation>BiomedCLIP（Microsoft）：ViT-B/16 + PubMedBERT，在 1500 万对图像-图注上训练（open_clip）</translation>
        </message>
        <message>
            <source>BitFit</source>
            <translation>BitFit</translation>
        </message>
        <message>
            <source>Bone</source>
            <translation>骨窗</translation>
        </message>
        <message>
            <source>Brain</source>
            <translation>脑窗</translation>
        </message>
        <message>
            <source>CLIP ViT-B/32 vision tower (zero-shot capable family)</source>
            <translation>CLIP ViT-B/32 视觉编码器（支持零样本的模型系列）</translation>
        </message>
        <message>
            <source>Clip the gradient norm to this (0 = off).</source>
            <translation>将梯度范数裁剪到此值（0 = 关闭）。</translation>
        </message>
        <message>
            <source>Closest call</source>
            <translation>最难取舍</translation>
        </message>
        <message>
            <source>Colour saturation (0 to 1) above which a slide's pixel is tissue; default: Otsu's threshold on the slide (at least 0.06). Scenes ignore it (their nodata value decides).</source>
            <translation>颜色饱和度（0 到 1），高于该值的切片像素视为组织；默认：对切片使用 Otsu 阈值（至少 0.06）。场景忽略此项（由其 nodata 值决定）。</translation>
        </message>
        <message>
            <source>Continue from run</source>
            <translation>从运行继续</translation>
        </message>
        <message>
            <source>Continue from the model of this earlier run.</source>
            <translation>从此前某次运行的模型继续训练。</translation>
        </message>
        <message>
            <source>ConvNeXt-T: a modern CNN, good on textures</source>
            <translation>ConvNeXt-T：现代 CNN，擅长纹理</translation>
        </message>
        <message>
            <source>Cover the collection</source>
            <translation>覆盖整个图像集</translation>
        </message>
        <message>
            <source>Cross-entropy label smoothing (0 = off).</source>
            <translation>交叉熵标签平滑（0 = 关闭）。</translation>
        </message>
        <message>
            <source>DINOv2 ViT-S/14: strong frozen features; the default</source>
            <translation>DINOv2 ViT-S/14：冻结特征很强；默认选项</translation>
        </message>
        <message>
            <source>DINOv3 ViT-L/16 (Meta) distilled on 493 M satellite images (timm copy)</source>
            <translation>DINOv3 ViT-L/16（Meta），在 4.93 亿张卫星图像上蒸馏（timm 版本）</translation>
        </message>
        <message>
            <source>DataLoader worker processes (0 = load in the training thread).</source>
            <translation>DataLoader 工作进程数（0 = 在训练线程中加载）。</translation>
        </message>
        <message>
            <source>Device</source>
            <translation>设备</translation>
        </message>
        <message>
            <source>DoRA</source>
            <translation>DoRA</translation>
        </message>
        <message>
            <source>Early stopping after</source>
            <translation>提前停止轮数</translation>
        </message>
        <message>
            <source>Epochs</source>
            <translation>轮次</translation>
        </message>
        <message>
            <source>False colour (NIR)</source>
            <translation>假彩色（近红外）</translation>
        </message>
        <message>
            <source>Full fine-tune</source>
            <translation>全量微调</translation>
        </message>
        <message>
            <source>General</source>
            <translation>通用</translation>
        </message>
        <message>
            <source>Gradient clipping</source>
            <translation>梯度裁剪</translation>
        </message>
        <message>
            <source>H&amp;E and IHC tiles at several magnifications; non-commercial use</source>
            <translation>多种放大倍数的 H&amp;E 和 IHC 图块；仅限非商业用途</translation>
        </message>
        <message>
            <source>H&amp;E and IHC tiles; academic, non-commercial research only</source>
            <translation>H&amp;E 和 IHC 图块；仅限学术性非商业研究</translation>
        </message>
        <message>
            <source>H&amp;E tiles at 20x (0.5 µm/px); non-commercial use; a large GPU</source>
            <translation>20 倍（0.5 µm/像素）H&amp;E 图块；仅限非商业用途；需要大显存 GPU</translation>
        </message>
        <message>
            <source>H&amp;E tiles at 20x (0.5 µm/px); the one large pathology model licensed for commercial use</source>
            <translation>20 倍（0.5 µm/像素）H&amp;E 图块；唯一许可商业使用的大型病理模型</translation>
        </message>
        <message>
            <source>H&amp;E tiles at 20x (0.5 µm/px); weights free to download, non-commercial use</source>
            <translation>20 倍（0.5 µm/像素）H&amp;E 图块；权重可免费下载，仅限非商业用途</translation>
        </message>
        <message>
            <source>H&amp;E tiles; academic, non-commercial research only</source>
            <translation>H&amp;E 图块；仅限学术性非商业研究</translation>
        </message>
        <message>
            <source>H-optimus-0 (Bioptimus): ViT-g/14 with 4 registers, for H&amp;E tiles</source>
            <translation>H-optimus-0（Bioptimus）：带 4 个寄存器的 ViT-g/14，用于 H&amp;E 图块</translation>
        </message>
        <message>
            <source>H-optimus-1 (Bioptimus): ViT-g/14 with 4 registers, for H&amp;E tiles</source>
            <translation>H-optimus-1（Bioptimus）：带 4 个寄存器的 ViT-g/14，用于 H&amp;E 图块</translation>
        </message>
        <message>
            <source>Held out for validation</source>
            <translation>留作验证</translation>
        </message>
        <message>
            <source>Histology</source>
            <translation>组织学</translation>
        </message>
        <message>
            <source>How much of the model trains: a head on frozen features (linear), a small part of the backbone (bitfit, ia3, lora, dora, adalora, loha, lokr) or every weight (full).</source>
            <translation>训练模型的哪一部分：在冻结特征上训练一个分类头（linear）、训练骨干网络的一小部分（bitfit、ia3、lora、dora、adalora、loha、lokr），或训练全部权重（full）。</translation>
        </message>
        <message>
            <source>How training images are varied, by kind of image: general: small crops and light changes; no flips or turns (safe for any images); photographs: crops, left–right mirror images and colour changes; histology: flips both ways, quarter turns and stain colour changes (a tissue tile means the same at any turn); radiology: small turns, crops and brightness/contrast changes; never flipped (left and right matter); remote-sensing: flips both ways, quarter turns and small crops (a scene tile has no up or down); none: every image as it is (documents, digits, anything whose class changes when cropped or turned).</source>
            <translation>按图像类型对训练图像做变换：general：小幅裁剪和轻微的亮度变化；不翻转、不旋转（适用于任何图像）；photographs：裁剪、左右镜像和颜色变化；histology：双向翻转、90 度旋转和染色颜色变化（组织图块无论怎样旋转含义都不变）；radiology：小角度旋转、裁剪和亮度/对比度变化；从不翻转（左右有意义）；remote-sensing：双向翻转、90 度旋转和小幅裁剪（场景图块没有上下之分）；none：保持每张图像原样（文档、数字，以及裁剪或旋转后类别会改变的任何图像）。</translation>
        </message>
        <message>
            <source>IA³</source>
            <translation>IA³</translation>
        </message>
        <message>
            <source>Images in random order: the honest baseline.</source>
            <translation>按随机顺序排列的图像：最客观的基线。</translation>
        </message>
        <message>
            <source>Images least like anything labelled so far.</source>
            <translation>与目前已标注的图像最不相似的图像。</translation>
        </message>
        <message>
            <source>Images on which the model changes its answer when asked again with parts of it switched off at random.</source>
            <translation>随机关闭模型的部分结构后再次询问时，模型会改变答案的图像。</translation>
        </message>
        <message>
            <source>Images per step (halved automatically if the GPU runs out of memory).</source>
            <translation>每步的图像数（GPU 内存不足时自动减半）。</translation>
        </message>
        <message>
            <source>Images the model cannot place: its guesses are spread over many classes.</source>
            <translation>模型无法归类的图像：它的猜测分散在许多类别上。</translation>
        </message>
        <message>
            <source>Images the model is least sure of.</source>
            <translation>模型最没把握的图像。</translation>
        </message>
        <message>
            <source>Images where the two likeliest classes are nearly tied.</source>
            <translation>两个最可能的类别几乎持平的图像。</translation>
        </message>
        <message>
            <source>Kronecker-product adapters</source>
            <translation>Kronecker 积适配器</translation>
        </message>
        <message>
            <source>Label smoothing</source>
            <translation>标签平滑</translation>
        </message>
        <message>
            <source>Learning rate</source>
            <translation>学习率</translation>
        </message>
        <message>
            <source>Learning rate; default: the preset's for its suggested method, else the method's own.</source>
            <translation>学习率；默认：预设为其推荐方法给出的值，否则为该方法自身的值。</translation>
        </message>
        <message>
            <source>Least confident</source>
            <translation>置信度最低</translation>
        </message>
        <message>
            <source>Linear probe</source>
            <translation>线性探测</translation>
        </message>
        <message>
            <source>Liver</source>
            <translation>肝窗</translation>
        </message>
        <message>
            <source>LoHa</source>
            <translation>LoHa</translation>
        </message>
        <message>
            <source>LoKr</source>
            <translation>LoKr</translation>
        </message>
        <message>
            <source>LoRA</source>
            <translation>LoRA</translation>
        </message>
        <message>
            <source>LoRA plus a learned magnitude per weight column</source>
            <translation>LoRA，并为每个权重列学习一个幅值</translation>
        </message>
        <message>
            <source>LoRA rank</source>
            <translation>LoRA 秩</translation>
        </message>
        <message>
            <source>Loader processes</source>
            <translation>加载进程数</translation>
        </message>
        <message>
            <source>Lung</source>
            <translation>肺窗</translation>
        </message>
        <message>
            <source>Mediastinum</source>
            <translation>纵隔窗</translation>
        </message>
        <message>
            <source>Method</source>
            <translation>方法</translation>
        </message>
        <message>
            <source>Microns per pixel of the tiles (the file must say its own).</source>
            <translation>图块的每像素微米数（文件必须自带像素尺寸）。</translation>
        </message>
        <message>
            <source>MobileViT-S: small and fast, for CPU-only machines</source>
            <translation>MobileViT-S：小巧快速，适合只有 CPU 的机器</translation>
        </message>
        <message>
            <source>Model</source>
            <translation>模型</translation>
        </message>
        <message>
            <source>Model disagrees with itself</source>
            <translation>模型自相矛盾</translation>
        </message>
        <message>
            <source>Most uncertain</source>
            <translation>最不确定</translation>
        </message>
        <message>
            <source>NDVI</source>
            <translation>NDVI</translation>
        </message>
        <message>
            <source>NDVI = (NIR − red) / (NIR + red), coloured red (−1: water, no vegetation) through yellow (0: bare soil) to green (+1: dense vegetation)</source>
            <translation>NDVI = (NIR − red) / (NIR + red)，颜色从红（−1：水体，无植被）经黄（0：裸土）到绿（+1：茂密植被）</translation>
        </message>
        <message>
            <source>Near-infrared as red: healthy vegetation shows bright red (reflectance 0–0.5)</source>
            <translation>近红外显示为红色：健康植被呈亮红色（反射率 0–0.5）</translation>
        </message>
        <message>
            <source>None</source>
            <translation>无</translation>
        </message>
        <message>
            <source>None: the linear probe fits each image's features once, unvaried</source>
            <translation>无：线性探测对每张图像的特征只拟合一次，不做变化</translation>
        </message>
        <message>
            <source>PLIP (Stanford): CLIP ViT-B/32 fine-tuned on 208 k pathology image-text pairs from Twitter</source>
            <translation>PLIP（Stanford）：CLIP ViT-B/32，在来自 Twitter 的 20.8 万对病理图文上微调</translation>
        </message>
        <message>
            <source>Passes over the training images; default: what the step budget gives (min-steps to max-steps).</source>
            <translation>遍历训练图像的次数；默认：由步数预算决定（最少步数到最多步数之间）。</translation>
        </message>
        <message>
            <source>Phikon-v2 (Owkin): DINOv2 ViT-L/16 trained on 460 M tiles of public slides</source>
            <translation>Phikon-v2（Owkin）：DINOv2 ViT-L/16，在公开切片的 4.6 亿个图块上训练</translation>
        </message>
        <message>
            <source>Photographs</source>
            <translation>照片</translation>
        </message>
        <message>
            <source>Pyramid level to cut (0 = full resolution).</source>
            <translation>要切分的金字塔层级（0 = 全分辨率）。</translation>
        </message>
        <message>
            <source>QuiltNet-B-32: CLIP ViT-B/32 trained on Quilt-1M histopathology videos (open_clip)</source>
            <translation>QuiltNet-B-32：CLIP ViT-B/32，在 Quilt-1M 组织病理视频数据上训练（open_clip）</translation>
        </message>
        <message>
            <source>RAD-DINO (Microsoft): DINOv2 ViT-B/14 trained on chest X-rays, 518 px</source>
            <translation>RAD-DINO（Microsoft）：DINOv2 ViT-B/14，在胸部 X 光片上训练，518 像素</translation>
        </message>
        <message>
            <source>Radiology</source>
            <translation>放射学</translation>
        </message>
        <message>
            <source>Random</source>
            <translation>随机</translation>
        </message>
        <message>
            <source>Random seed</source>
            <translation>随机种子</translation>
        </message>
        <message>
            <source>Random seed (split of new images, initialisation, shuffling).</source>
            <translation>随机种子（新图像的划分、初始化、打乱顺序）。</translation>
        </message>
        <message>
            <source>Rank r of the low-rank adapters (LoRA, DoRA, AdaLoRA's target, LoHa, LoKr).</source>
            <translation>低秩适配器的秩 r（LoRA、DoRA、AdaLoRA 的目标值、LoHa、LoKr）。</translation>
        </message>
        <message>
            <source>Red, green, blue as the eye sees them (reflectance 0–0.3)</source>
            <translation>红、绿、蓝，如人眼所见（反射率 0–0.3）</translation>
        </message>
        <message>
            <source>Remote sensing</source>
            <translation>遥感</translation>
        </message>
        <message>
            <source>RemoteCLIP ViT-B/32: CLIP trained on remote-sensing image-text data</source>
            <translation>RemoteCLIP ViT-B/32：在遥感图文数据上训练的 CLIP</translation>
        </message>
        <message>
            <source>ResNet-50: the classic CNN baseline</source>
            <translation>ResNet-50：经典的 CNN 基线</translation>
        </message>
        <message>
            <source>SWIR</source>
            <translation>SWIR</translation>
        </message>
        <message>
            <source>SWIR 2, NIR, red (Sentinel-2 12-8A-4, Landsat 7-5-4): moisture, burn scars, bare soil (reflectance 0–0.5)</source>
            <translation>SWIR 2、近红外、红（Sentinel-2 12-8A-4，Landsat 7-5-4）：水分、火烧迹地、裸土（反射率 0–0.5）</translation>
        </message>
        <message>
            <source>Share of a tile that must be tissue (slides) or valid data (scenes); 0 keeps every tile.</source>
            <translation>图块中必须是组织（切片）或有效数据（场景）的比例；为 0 时保留所有图块。</translation>
        </message>
        <message>
            <source>Share of each class's labelled images held out for validation (stored: an image keeps its split).</source>
            <translation>每个类别中留作验证的已标注图像比例（会被保存：图像保持其划分）。</translation>
        </message>
        <message>
            <source>Share of steps spent warming the learning rate up.</source>
            <translation>用于学习率预热的步数比例。</translation>
        </message>
        <message>
            <source>SigLIP ViT-B/16 (Google): image-text model trained with a sigmoid loss</source>
            <translation>SigLIP ViT-B/16（Google）：用 sigmoid 损失训练的图文模型</translation>
        </message>
        <message>
            <source>Soft tissue</source>
            <translation>软组织窗</translation>
        </message>
        <message>
            <source>Steps at least</source>
            <translation>最少步数</translation>
        </message>
        <message>
            <source>Steps at most</source>
            <translation>最多步数</translation>
        </message>
        <message>
            <source>Stop after bad losses</source>
            <translation>损失异常时停止</translation>
        </message>
        <message>
            <source>Stop after this many epochs without a better validation loss (0 = never).</source>
            <translation>验证损失连续这么多轮没有改善时停止（0 = 从不）。</translation>
        </message>
        <message>
            <source>Stop after this many non-finite losses in a row.</source>
            <translation>连续出现这么多次非有限损失后停止。</translation>
        </message>
        <message>
            <source>Swin-T: hierarchical transformer</source>
            <translation>Swin-T：层级式 Transformer</translation>
        </message>
        <message>
            <source>Tile side in pixels, as the model sees it.</source>
            <translation>图块边长（像素），即模型看到的尺寸。</translation>
        </message>
        <message>
            <source>True colour</source>
            <translation>真彩色</translation>
        </message>
        <message>
            <source>Typical and varied</source>
            <translation>典型且多样</translation>
        </message>
        <message>
            <source>Typical first, then closest calls</source>
            <translation>先挑典型图像，再挑最难区分的</translation>
        </message>
        <message>
            <source>Typical, varied images until each class has about 5 labels, then near ties.</source>
            <translation>先选典型且多样的图像，直到每个类别约有 5 个标签，然后选几乎持平的图像。</translation>
        </message>
        <message>
            <source>UNI (Mahmood Lab): ViT-L/16 trained on 100 k H&amp;E slides</source>
            <translation>UNI（Mahmood Lab）：ViT-L/16，在 10 万张 H&amp;E 切片上训练</translation>
        </message>
        <message>
            <source>UNI2-h (Mahmood Lab): ViT-H/14 with 8 registers, 200 M+ H&amp;E and IHC images</source>
            <translation>UNI2-h（Mahmood Lab）：带 8 个寄存器的 ViT-H/14，2 亿多张 H&amp;E 和 IHC 图像</translation>
        </message>
        <message>
            <source>Uncertain and varied</source>
            <translation>不确定且多样</translation>
        </message>
        <message>
            <source>Uncertain images that also differ from each other.</source>
            <translation>不确定且彼此不同的图像。</translation>
        </message>
        <message>
            <source>ViT-B/16 pretrained on ImageNet-21k</source>
            <translation>在 ImageNet-21k 上预训练的 ViT-B/16</translation>
        </message>
        <message>
            <source>Virchow2 (Paige): ViT-H/14 with 4 registers, 3.1 M slides at 5x-40x</source>
            <translation>Virchow2（Paige）：带 4 个寄存器的 ViT-H/14，310 万张 5–40 倍切片</translation>
        </message>
        <message>
            <source>Warm-up</source>
            <translation>预热</translation>
        </message>
        <message>
            <source>Weight decay</source>
            <translation>权重衰减</translation>
        </message>
        <message>
            <source>Weight the loss by inverse class frequency (imbalanced classes).</source>
            <translation>按类别频率的倒数为损失加权（适用于类别不平衡）。</translation>
        </message>
        <message>
            <source>With the default epochs: at least this many optimizer steps (a small project gets more passes).</source>
            <translation>使用默认轮次时：至少进行这么多优化步（小项目会多遍历几次）。</translation>
        </message>
        <message>
            <source>With the default epochs: at most this many optimizer steps (a large project gets fewer passes).</source>
            <translation>使用默认轮次时：最多进行这么多优化步（大项目会少遍历几次）。</translation>
        </message>
        <message>
            <source>Zero-shot, each class in turn</source>
            <translation>零样本，各类别轮流</translation>
        </message>
        <message>
            <source>a well-known baseline to compare against</source>
            <translation>用于比较的知名基线</translation>
        </message>
        <message>
            <source>aerial and satellite RGB imagery</source>
            <translation>航空和卫星 RGB 影像</translation>
        </message>
        <message>
            <source>any image: strong features without fine-tuning</source>
            <translation>任何图像：无需微调即有很强的特征</translation>
        </message>
        <message>
            <source>auto, cpu, cuda or mps.</source>
            <translation>auto、cpu、cuda 或 mps。</translation>
        </message>
        <message>
            <source>chest X-rays; research use, not clinical practice</source>
            <translation>胸部 X 光片；仅供研究，不用于临床</translation>
        </message>
        <message>
            <source>crops, left–right mirror images and colour changes</source>
            <translation>裁剪、左右镜像和颜色变化</translation>
        </message>
        <message>
            <source>every image as it is (documents, digits, anything whose class changes when cropped or turned)</source>
            <translation>保持每张图像原样（文档、数字，以及裁剪或旋转后类别会改变的任何图像）</translation>
        </message>
        <message>
            <source>every weight</source>
            <translation>全部权重</translation>
        </message>
        <message>
            <source>flips both ways, quarter turns and small crops (a scene tile has no up or down)</source>
            <translation>双向翻转、90 度旋转和小幅裁剪（场景图块没有上下之分）</translation>
        </message>
        <message>
            <source>flips both ways, quarter turns and stain colour changes (a tissue tile means the same at any turn)</source>
            <translation>双向翻转、90 度旋转和染色颜色变化（组织图块无论怎样旋转含义都不变）</translation>
        </message>
        <message>
            <source>frozen backbone, logistic regression on its cached features (fitted to convergence)</source>
            <translation>冻结骨干网络，在其缓存的特征上做逻辑回归（拟合至收敛）</translation>
        </message>
        <message>
            <source>general</source>
            <translation>通用</translation>
        </message>
        <message>
            <source>learned scaling vectors on the backbone's activations</source>
            <translation>在骨干网络的激活上学习缩放向量</translation>
        </message>
        <message>
            <source>low-rank Hadamard-product adapters</source>
            <translation>低秩 Hadamard 积适配器</translation>
        </message>
        <message>
            <source>low-rank adapters on the backbone's layers</source>
            <translation>在骨干网络各层上添加低秩适配器</translation>
        </message>
        <message>
            <source>low-rank adapters whose rank budget moves to the layers that need it</source>
            <translation>低秩适配器，其秩预算会分配给最需要的层</translation>
        </message>
        <message>
            <source>machines without a GPU</source>
            <translation>没有 GPU 的机器</translation>
        </message>
        <message>
            <source>objects at several scales</source>
            <translation>多种尺度的物体</translation>
        </message>
        <message>
            <source>only the head (&lt; 0.05 % of the weights); seconds, even on a CPU</source>
            <translation>仅训练分类头（&lt; 0.05% 的权重）；即使在 CPU 上也只需几秒</translation>
        </message>
        <message>
            <source>pathology</source>
            <translation>病理学</translation>
        </message>
        <message>
            <source>photographs and everyday objects</source>
            <translation>照片和日常物体</translation>
        </message>
        <message>
            <source>radiology</source>
            <translation>放射学</translation>
        </message>
        <message>
            <source>remote sensing</source>
            <translation>遥感</translation>
        </message>
        <message>
            <source>small crops and light changes; no flips or turns (safe for any images)</source>
            <translation>小幅裁剪和轻微的亮度变化；不翻转、不旋转（适用于任何图像）</translation>
        </message>
        <message>
            <source>small turns, crops and brightness/contrast changes; never flipped (left and right matter)</source>
            <translation>小角度旋转、裁剪和亮度/对比度变化；从不翻转（左右有意义）</translation>
        </message>
        <message>
            <source>textures and surfaces (inspection, materials)</source>
            <translation>纹理和表面（检测、材料）</translation>
        </message>
        <message>
            <source>the biases and the head</source>
            <translation>偏置项和分类头</translation>
        </message>
        <message>
            <source>zero-shot pre-labels for H&amp;E pathology images</source>
            <translation>为 H&amp;E 病理图像生成零样本预标注</translation>
        </message>
        <message>
            <source>zero-shot pre-labels for biomedical images (radiology, microscopy, pathology)</source>
            <translation>为生物医学图像（放射、显微、病理）生成零样本预标注</translation>
        </message>
        <message>
            <source>zero-shot pre-labels for histopathology</source>
            <translation>为组织病理图像生成零样本预标注</translation>
        </message>
        <message>
            <source>zero-shot pre-labels for satellite and aerial images</source>
            <translation>为卫星和航空图像生成零样本预标注</translation>
        </message>
        <message>
            <source>zero-shot pre-labels from class names</source>
            <translation>根据类别名称生成零样本预标注</translation>
        </message>
        <message>
            <source>zero-shot pre-labels from class names; often better than CLIP on everyday photos</source>
            <translation>根据类别名称生成零样本预标注；在日常照片上通常优于 CLIP</translation>
        </message>
        <message>
            <source>≈0.1–0.2 % of the weights; minutes</source>
            <translation>约 0.1–0.2% 的权重；几分钟</translation>
        </message>
        <message>
            <source>≈0.1–0.3 % of the weights; minutes</source>
            <translation>约 0.1–0.3% 的权重；几分钟</translation>
        </message>
        <message>
            <source>≈1.5–3 % of the weights at rank 8; minutes</source>
            <translation>秩为 8 时约 1.5–3% 的权重；几分钟</translation>
        </message>
        <message>
            <source>≈1.5–3.5 % of the weights; minutes, slower steps than LoRA</source>
            <translation>约 1.5–3.5% 的权重；几分钟，每步比 LoRA 慢</translation>
        </message>
        <message>
            <source>≈2–5 % of the weights, pruned to LoRA's budget as it trains; minutes</source>
            <translation>约 2–5% 的权重，训练中会剪枝到 LoRA 的预算；几分钟</translation>
        </message>
        <message>
            <source>≈3–6 % of the weights; minutes</source>
            <translation>约 3–6% 的权重；几分钟</translation>
        </message>
    </context>
</TS>
