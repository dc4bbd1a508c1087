<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
    <context>
        <name>BatchResultsModel</name>
        <message>
            <source>Class</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Confidence</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Image</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Label</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Labelled {name}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not read: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The model's probability for its class</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The three likeliest classes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Top 3</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Whether the prediction became the image's label</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>class {id}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>run {run} has no validation results to choose a threshold on</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>✓ Accepted as {name}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>BatchResultsPanel</name>
        <message>
            <source>Accept as labels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>All classes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Among the results that do not need review, the model may be wrong at most (%):</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Batch {id}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Could not be read</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete batch…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete the batch?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Export CSV…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>For an error rate…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Forget this batch's results (the files and accepted labels stay)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Forget {batch}?

Its files, and labels accepted from it, stay.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Label the selected as {name}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Label the selected images with their predicted class; they join the project where they are (Ctrl+Z undoes). The arrow: label them as another class</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Needs review</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Needs review, for an error rate</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No batch yet: drop images with a trained model, or File ▸ Classify images… (Ctrl+Shift+K)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Only results the model is less sure of than the threshold</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Results under this confidence need review (remembered for this project; the Label workspace's Show list offers the images whose prediction is under it too)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Save this batch's results as a CSV file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Select the results to accept first</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Set the threshold from the largest share of wrong results you accept among those not flagged, chosen on the run's validation images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show the results of one class</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The batches kept in this project, newest first</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>below </source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>cancelled after {done} of {total}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>run {id}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} accepted</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} below {threshold}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} not read</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{done} of {total} images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{shown} of {total} shown</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{title} (cancelled)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{total} results</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ClassPanel</name>
        <message>
            <source>Add a class</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Change the selected class's colour</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Class name:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Colour</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Colour of '{name}'</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete class</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete the class '{name}'? {what}
You can undo this with Ctrl+Z.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete the selected class (its images become unlabelled)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Its 1 labelled image becomes unlabelled.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Its {count} labelled images become unlabelled.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Move down</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Move up (its shortcut follows)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New name:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No image has this label.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Press {key} to label</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rename</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rename class</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rename the selected class</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ClassifyController</name>
        <message>
            <source> — Ctrl+Z undoes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>; 1 image added to the project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>; {count} images added to the project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>; {count} skipped ({reason})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>A batch is being classified: wait for it to finish, or cancel it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accepted 1 prediction as labels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accepted {count} predictions as labels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Batch {id} cancelled: {done}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Batch {id} ready: {done}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Classified {done} of {total} images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Classifying</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Classifying with run {run}…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Export failed: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{classified} classified</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{classified} classified, {failed} could not be read</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>CompositeControls</name>
        <message>
            <source>Band composite of this satellite image</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Band shown as blue</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Band shown as green</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Band shown as red</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Band {number}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Custom bands</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ConfigForm</name>
        <message>
            <source>Expert settings</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>default</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>DropChoiceDialog</name>
        <message>
            <source>'{name}'</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>A folder…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add to the project for labelling</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Classify a folder of images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Classify images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Classify some image files, or a whole folder?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Classify with {run}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Dropped images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Files…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp *.dcm);;All files (*)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The files stay where they are; the results open in the Review workspace</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>What should Loupe do with {what}?

Adding imports the images for labelling. Classifying leaves the files where they are and shows what the model says about each.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>these {count} files and folders</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ErrorReporter</name>
        <message>
            <source>Loupe hit a problem</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Something went wrong; your labels are saved.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ExportController</name>
        <message>
            <source>An export is running: wait for it to finish, or cancel it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Exporting</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Exporting {what}…</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ExportDialog</name>
        <message>
            <source>; {count} file(s) not found, not exported</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>A CSV file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>A new or empty folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Browse…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>CSV (*.csv)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Export</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Export into a new or empty folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Export the labels as CSV</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Exported 1 labelled image in class folders in {out}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Exported run {run} as ONNX: {out}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Exported run {run} as a Hugging Face folder: {out}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Exported {count} labelled images in class folders in {out}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>File</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Labelled images in class folders</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Labels as CSV</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Model as ONNX</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Model as a Hugging Face folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No run has a model yet: train one first (Ctrl+T)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nothing was exported: {reason}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Run</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Saved 1 label as {out}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Saved {count} labels as {out}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This folder is not empty: choose a new or empty one.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This is a file: choose a new or empty folder.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This is a folder: choose a file name.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>What</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Where</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>could not write {path}: {reason}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>FileCheckController</name>
        <message>
            <source>, </source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>1 image missing</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>; File ▸ Find moved images… looks for them</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Comparing contents: {done} of {total} files of the right size</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Find moved images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Looking for the missing images…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Looking through the folder… {count} files found</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Slide or scene found again: {path} ({tiles} tiles)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Where are the moved images now?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} changed since import</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} images missing</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{found} missing image(s) found again under {folder} ({looked} files looked at); {left} still missing.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{problems} — see Show ▸ Missing or changed files</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>FilterBar</name>
        <message>
            <source>A slide's or scene's tiles are listed row by row, as they lie on it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>All images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Class: {name}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Disagrees with label</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Labelled</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Missing or changed files</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Near-duplicates</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Near-duplicates are listed by group: a group's images together</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Needs review (&lt; {percent})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Newest first</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Oldest first</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Predicted: {name}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rejected files</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Scene: {name}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Search file names…  (Ctrl+F)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Selection: {title}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Slide: {name}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sort order</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sort:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Suggested</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Suggested ({strategy})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The suggestions keep their order: most worth labelling first</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Unlabelled</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Which images to show</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ImageListModel</name>
        <message>
            <source>near-duplicate group {group}: {count} images; {similarity} alike to its closest</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>predicted: {name} ({confidence})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>suggested: {why}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>zero-shot suggestion: {name} ({confidence}), from the class names; Enter accepts it</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ImagesOrSources</name>
        <message>
            <source>A whole slide or scene with its tiles coloured by label or prediction (Ctrl+Shift+O)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Slides and scenes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The images of the project, as the filter shows them</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ImportController</name>
        <message>
            <source>1 duplicate</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>1 image</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Importing</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Importing {done} of {total}: {added} added, {duplicates}, {rejected} not readable</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Looking for images…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Looking for images… 1 file found</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Looking for images… {count} files found</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>these {count} files</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>this file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} duplicates</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{images} imported; {which} could not be read:</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>LabelLegend</name>
        <message>
            <source>0 no label</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Label with {name} (key {key})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Remove the label (key 0)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>unlabelled</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>LabelReviewController</name>
        <message>
            <source>Checking labels needs a model to compute image features with: choose one in the Train workspace (or train one) first.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Kept '{name}'</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The end of the queue: every label in it has an answer, or press Check labels again</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This window has the project read-only: answers cannot be saved</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>LabelReviewPanel</name>
        <message>
            <source>, </source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>1 image unreadable</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>1 label</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>1 labelled image</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cancel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Change  (C)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Change to the suggestion</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Change to {name}  (C)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Changed to {name} (Ctrl+Z takes it back).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Check labels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Computing image features…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Fitting a model for each fold…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Given → suggested, and the model's probability of the given label (lower: more doubtful)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Keep  (K)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Keep the label</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Keep {name}  (K)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Kept.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Label {number} of {count}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Labelled &lt;b&gt;{name}&lt;/b&gt;: the model gave it {score}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Labels that look wrong, most suspicious first: each image is scored by a model fitted without it (5 folds on the image features). Keep a right label, or change it to the suggestion.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Labels that look wrong, most suspicious first: keep or change each (Ctrl+Shift+L)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Looks like &lt;b&gt;{name}&lt;/b&gt; ({score})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No label looks wrong. {summary}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not checked yet.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Now {name}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Previous</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rank the labels that look wrong (Ctrl+Shift+L)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Skip</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Skip →</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Stop (image features computed so far are kept)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>features: {source}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>no class</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>not checked (too few labels): {classes}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} images unreadable</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} kept earlier</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} labelled images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} labels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{labels} to review among {images}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>← Previous</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>✎ changed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>✎ relabelled</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>✓ kept</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>LabellingController</name>
        <message>
            <source>Accepted 1 prediction of batch {batch} as labels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accepted 1 zero-shot label</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accepted {count} predictions of batch {batch} as labels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accepted {count} zero-shot labels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Change many labels?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Changed the label of 1 image to '{name}' (review)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Clear label</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cleared the label of 1 image</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cleared the label of {count} images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Deleted class '{name}'</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Label with class {key}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Labelled 1 image as '{name}'</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Labelled {count} images as '{name}'</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Labels from folder names</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No class has the key {key}; add classes in the Classes panel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nothing to redo</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nothing to undo</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Redid {action}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Redo</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Redo cancelled: no label was changed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Redo {action}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Redo {action}?

This changes the labels of {count} images.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Undid {action}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Undo</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Undo cancelled: no label was changed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Undo {action}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Undo {action}?

This changes the labels of {count} images.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>accepting 1 prediction of batch {batch} as labels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>accepting 1 zero-shot label</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>accepting {count} predictions of batch {batch} as labels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>accepting {count} zero-shot labels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>changing the label of 1 image to '{name}' (review)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>clearing the label of 1 image</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>clearing the label of {count} images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>deleting class '{name}'</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>labelling 1 image as '{name}'</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>labelling {count} images as '{name}'</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>labels from folder names</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>LanguageMenu</name>
        <message>
            <source>&amp;Language</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Language</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Loupe will speak {language} from the next time it starts.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>System default</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>LearningCurvePlot</name>
        <message>
            <source>&lt;span style='color:{refresh}'&gt;●&lt;/span&gt; estimate at a refresh &amp;nbsp;&amp;nbsp; &lt;span style='color:{run}'&gt;★&lt;/span&gt; training run</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accuracy as labels grew: blue dots, the estimate at each refresh of the suggestions; orange stars, the validation accuracy of each training run; the bars, its 95 % range given how few validation images it was measured on.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>accuracy</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>labelled images</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>LongJobController</name>
        <message>
            <source>Cancel</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>LoupeApp</name>
        <message>
            <source>Cannot open the project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Loupe {version}
Loading the machine-learning libraries ({done}/{total}): {name}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>MachineNote</name>
        <message>
            <source>Caches (safe to delete)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Checking this machine…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Downloaded models</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Error log</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Hours even on a small backbone: use a machine with a GPU for this.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Loupe will train on the GPU &lt;b&gt;{name}&lt;/b&gt; with {memory} of memory (CUDA).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Loupe will train on this Mac's GPU (Apple MPS), which shares its {memory} of memory.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Minutes on a small backbone, somewhat longer on a large one.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Minutes on a small backbone; a large one is slower than on a CUDA GPU.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Minutes to an hour; needs the most GPU memory.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No GPU was found: Loupe will train on the processor (&lt;b&gt;{name}&lt;/b&gt;, {threads} threads, {memory} of memory). Labelling, suggestions and the linear probe work well on it; the other methods work but take much longer.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Practical on small backbones only; slow and memory-hungry on large ones.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Projects</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Seconds to a minute.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Seconds to minutes: the best start without a GPU.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Seconds: the features are computed once on the GPU.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Tens of minutes on a small backbone with a few hundred images; hours on a large one.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The sample project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The training libraries did not load, so Loupe cannot train here: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This &amp;machine…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This machine</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>What that means for each training method:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Where things live:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>unknown</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>where you save them: one .loupe file each, its trained models beside it</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Classes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Classifying needs a trained model: train one (Ctrl+T), then use it for predictions (Train ▸ Runs ▸ Use for predictions)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Export cancelled; nothing was written</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Exporting to {folder}…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Filter</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Import a folder of images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Import cancelled: {added} added, {duplicates} duplicates, {rejected} rejected</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Imported: {added} added, {duplicates} duplicates, {rejected} rejected</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Labelled images per class</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Loupe project (*.loupe)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open a Loupe project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Predicting all images with run {run}…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Predictions failed: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Predictions of run {run} are on the tiles; filter by them under Show</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Run {run} has no saved model to export.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Suggest</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Which images to label next, and whether more labels still help (Am I done?)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Workspaces</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{project} — Loupe</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{project} — Loupe (read-only)</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Menus</name>
        <message>
            <source>&amp;Classify images…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Close project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Export…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;File</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Find</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Find moved images…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Help</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Import images…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Keyboard shortcuts</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Models…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Open project…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;View</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Actual pixels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Back to the grid</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Check labels…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Fit image</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Import &amp;slides or scenes…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Label next suggestions</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Larger tiles</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Results</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Runs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show the images most worth labelling next, one after another (N)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Slides and scenes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Smaller tiles</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Train</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ModelsPage</name>
        <message>
            <source> · {size} free on that disk</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;Needs accepted terms:&lt;/b&gt; read and accept them on &lt;a href="{url}"&gt;its card&lt;/a&gt;, then save your access token (right) and download.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;{model}&lt;/b&gt; — {description}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>A GPU is recommended: on a CPU, training and predictions with it are slow.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accepted terms</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cancel download</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cancelling…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cannot be downloaded now. {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Card, licence and details: &lt;a href="{url}"&gt;{url}&lt;/a&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose a model in the list to see where it comes from.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Close</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Could not delete {model}: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Could not look at the models on this machine: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete the model?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete the selected model from this machine (Delete)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete {model} from this machine? This frees {size}. It can be downloaded again later; runs trained on it keep their own copy of what they need.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Deleted {model}: {size} freed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delete…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Download</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Download cancelled</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Download failed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Download of {model} cancelled; what arrived is kept, and Download resumes it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Download of {model} failed: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Download the selected model to this machine (Enter)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Downloading…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Downloading… {share}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>GPU recommended</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Good for</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Licence</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Looking at the models on this machine…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Looking at this machine…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Model</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Models</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Models are kept in {folder} (Hugging Face's cache, shared with other programs) · {size} in use</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Needs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No download running</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not downloadable</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not on this machine yet.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>On this machine</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>On this machine (revision {revision}): {path}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>On this machine: {path}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Partly downloaded ({size}): Download resumes it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Partly: {done} of {total}, resumes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Partly: {done}, resumes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Resume download</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Selected model</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Size</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Starting the download of {model}…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Stop the download; what arrived is kept and the next download resumes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The hub asks you to accept the model's terms on its card first</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Yes, {size}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Zero-shot only</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>about {hours} h {minutes} min left</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>about {minutes} min left</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>about {seconds} s left</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>licence: {licence}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} M weights</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{done} of {total}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{done} so far</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{model} cannot be downloaded now: {reason}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{model} is already on this machine.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{model} is on this machine ({size}).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{model}: downloaded, {size}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{reason} Models not on this machine are greyed out until a download is possible. &lt;a href="check"&gt;Check again&lt;/a&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{size} to download</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{speed} MB/s</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>NearDuplicatesController</name>
        <message>
            <source>Looking for near-duplicates…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Near-duplicates</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No near-duplicates found</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{found}; this window has the project read-only, so they are not stored or listed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{images} near-duplicate images in 1 group; training keeps each group on one side</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{images} near-duplicate images in {groups} groups; training keeps each group on one side</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ProjectStatusBar</name>
        <message>
            <source>Model: {run}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Read-only: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The run whose model predicts on the tiles (Train ▸ Runs ▸ Use for predictions)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} rejected</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{labelled} / {images} labelled</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{missing} missing, {changed} changed</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>RejectedFilesDialog</name>
        <message>
            <source>A file was not imported</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Some files were not imported</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ReliabilityDiagram</name>
        <message>
            <source>Each bar: validation images the model gave that much confidence, and the share it got right. A calibrated model's bars reach the diagonal. Grey outline: before calibration; blue: after.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>confidence →</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>share right →</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ReportCard</name>
        <message>
            <source> Few images, so label more to narrow the range.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source> · best epoch {epoch}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accuracy {accuracy} on {count} validation images, likely {low}–{high} (95 % interval) · macro-F1 {f1} (how well each class is found, on average){best_epoch}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accuracy: the share of the validation images (labelled images kept out of training) the model got right.
95 % interval: the range the true accuracy on new images of the same kind likely lies in, given how few validation images measured it; more labels narrow it.
Macro-F1: how well each class is found (F1: the balance of not missing a class's images and not calling others by its name), averaged over the classes, so a rare class counts as much as a common one; 1 is perfect.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Augmentation: {augmentation}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Confidence calibrated on the {count} validation images (temperature {temperature}): the average gap between how sure the model says it is and how often it is right went from {before} to {after}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Confidence {note}. Calibration error on the validation images: {error}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Confusion matrix — rows: true, columns: predicted</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cost: {parts}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>F1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>In full: {cost}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Most confidently wrong (double-click to show)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No validation image was misclassified.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open in a window</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Per class (validation images)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Precision</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Recall</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rows: true class; columns: predicted class. Click a cell to see those images.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Select a finished run to see its report card.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Support</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The whole report card at full size, beside the window</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This run failed. It has no report.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This run failed: {reason}. It has no report.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This run has no report: it had no validation images to check the model on (label more images so that some can be held out).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This run is still training: its report comes when it ends.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This run was {how}, before it finished, so it has no report.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>What the model costs: the share of its weights this run trained, its size on disk, the most memory training took, and the time to classify one image afterwards (alone, and in batches of 32).
</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>batches of {size}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>image {id}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>the selected run</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>true {true}, predicted {predicted}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>true {true}, predicted {predicted}: {count} ({share} of the class)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{image}: true {true}, predicted {predicted} ({confidence})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{ms} ms an image</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{percent} % of weights trained</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{size} memory</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{size} on disk</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ReportWindow</name>
        <message>
            <source>Report card — {run}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ReviewWorkspace</name>
        <message>
            <source>Batch {id} deleted</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>CSV (*.csv)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Classifying with run {run}…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Double-click a result (or select it and press Enter) to see it here with its heatmap.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Export the results as CSV</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Preparing results…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Saved the results as {path}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>RunHistoryPanel</name>
        <message>
            <source>Classes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Device</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Export the selected run's model (Hugging Face folder or ONNX)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Export…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Make the selected run's model the one that predicts in the grid</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Model folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Notice</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Put this run's settings in the training form, on the left</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Report card</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Report card and curves</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Settings</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Status</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Train again with these settings</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Use for predictions</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>default</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>no</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>none kept</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>run {run}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>yes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{chosen} (used {used})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{minutes} min</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{seconds} s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{status}: {message}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>RunProgressBar</name>
        <message>
            <source>The run in progress — click to see it in the Train workspace (Alt+2)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Training: {progress}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Training…</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>RunStatus</name>
        <message>
            <source>cancelled</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>done</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>failed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>running</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>RunTableModel</name>
        <message>
            <source>Accuracy</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Active</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Backbone</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Duration</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Labels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Macro-F1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Method</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Run</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Started</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Status</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>RunWords</name>
        <message>
            <source>Trained from the folder {folder}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Trained from {model}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Trained from {model} at revision {revision}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>run {id}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{accuracy} accuracy</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ShortcutsDialog</name>
        <message>
            <source>0, Backspace</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Check labels tab: keep the label, change it to the suggestion, skip</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Check labels: the labels that look wrong, most suspicious first</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Ctrl++ or Ctrl+=, Ctrl+−</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Ctrl+0, Ctrl+1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Ctrl+T, Ctrl+R</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Ctrl+Z, Ctrl+Shift+Z (Ctrl+Y)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Does</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Enter</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Enter (grid)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Escape</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>K, C or Enter, ← →</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Keyboard shortcuts</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Keys</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Models: the backbones by field, downloads, access tokens</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Results: open the result in the viewer, with its heatmap</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Review workspace: the results of a classified batch</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Shift/Ctrl+click, drag</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Slides and scenes: a slide or scene with its tiles beside the viewer, or the grid again</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Slides and scenes: zoom, pan, fit; a click makes a tile the current image</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Train workspace: the training form / the Runs tab</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>accept the selected tiles' ◇ zero-shot suggestions as their labels (Zero-shot tab)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>classify images with the model in use; the results open in Review</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>clear the label</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>clear the search and the selection; back to the grid</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>export: a run's model (Hugging Face folder, ONNX), the labels as CSV or class folders</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>find moved images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>import a folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>import slides or scenes as tiles: size, resolution and tissue share, previewed first</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>label next suggestions: the Suggested queue in the grid, its first image current</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>label the current image (or every selected image) with that class, and move on</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>larger / smaller tiles</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>next / previous image, in the grid and in the viewer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>search file names</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>select several images for one label</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>the Label workspace: the images, the viewer, the classes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>the Review workspace: what a model said about new images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>the Show list: which images the grid shows</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>the Train workspace: the form, the live curves, the runs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>this list</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>train (the Train workspace's Train button)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>undo / redo</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>viewer: fit the image / actual pixels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>viewer: show or hide a tile's neighbourhood around it (tiles of slides and scenes)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>viewer: show or hide the heatmap (where the model found its evidence)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>wheel, + −, arrows, Home</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Sizes</name>
        <message>
            <source>1 byte</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} bytes</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>SourceImportController</name>
        <message>
            <source> (importing it again goes on where it stopped)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source> ({rate} tiles a second)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>; could not read {name} and {more} more: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>; could not read {name}: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Import cancelled: nothing added</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Import cancelled: {names}, {tiles} added, {skipped} left out as background</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Import slides or scenes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Imported: {names}, {tiles} added, {skipped} left out as background</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Importing slides and scenes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nothing imported</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Reading the overview…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Slides and scenes (*.svs *.ndpi *.mrxs *.scn *.vms *.vmu *.bif *.svslide *.tif *.tiff);;All files (*)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} slides or scenes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{done} of {total} tiles read, {added} added</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{done} of {total} tiles read, {rate} a second, {added} added</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{name} ({number} of {count})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{source}: {progress}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>SourceOverviewController</name>
        <message>
            <source>1 tile</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No model is in use yet: train one (Ctrl+T) and its predictions colour the tiles</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No tile here is labelled yet: click a tile, then press its class's key</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Run {run} has not predicted these tiles yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This project has no slides or scenes yet: File ▸ Import slides or scenes… (Ctrl+Shift+I)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} left out as background</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} left out as no data</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} tiles</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{mpp} µm per pixel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{name} ({tiles})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{tiles} of {size} px</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{tiles} of {size} px at {mpp} µm/px</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{width} × {height} px</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>SourceOverviewPanel</name>
        <message>
            <source>Colour by:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Colour the tiles by their label or by the model's prediction</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Fit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>How strongly the tiles are coloured</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Labels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Opacity:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Predictions</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Slide or scene:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The whole slide or scene in view (Home)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Which slide or scene to show</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{chip}&amp;nbsp;suggested&amp;nbsp;{count}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>SourceOverviewView</name>
        <message>
            <source>Label: {name}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No slide or scene to show</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not labelled</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>predicted: {name} ({confidence})</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>SuggestionController</name>
        <message>
            <source> ({images} could not be read)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>, by {strategy}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>, {strategy} until two classes have labels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>1 image</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>1 suggestion</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>1 unlabelled image</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>; </source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>; image features of {model}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose another model in the Train workspace's form (Ctrl+T), then press Label next suggestions (N).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Computing image features with {model}…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Finding the model for image features…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Image features of {images} ready{skipped}; choosing suggestions…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No images to suggest yet: import images first.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No new suggestions: every other image has a label.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No new suggestions: of the {images}, {reasons}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No suggestions left: every image has a label. Import more images to go on.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No suggestions: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Stopped computing image features; those computed are kept. Press Label next suggestions (N) to go on.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Suggestions are off: press Label next suggestions (N) to start.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>unknown error</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{n} already in the queue</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{n} could not be read</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{n} images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{n} of the {images} ({reasons})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{n} suggestions</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{n} unlabelled images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{suggestions} from {images} in {seconds} s</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>SuggestionPanel</name>
        <message>
            <source>1 label</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>1 labelled image set aside for checking</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>; few images, so a rough figure</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accuracy {accuracy} with {labels} ({where}).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Am I done?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>At the last refresh no predicted class changed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>At the last refresh the predicted class changed for {share} of the unlabelled images.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cancel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>How the next images to label are chosen</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Image features: %v of %m</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Label next suggestions  (N)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No accuracy estimate yet.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show the suggested images in the grid, the first one selected: label it with its class key and the next suggestion follows.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Stop computing image features (those computed are kept)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Suggest:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>estimated on {checked}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>training run {run}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>training run {run}, checked on {checked}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{labels} since the last refresh · refreshes every {every} labels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{n} labelled images set aside for checking</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{n} labels</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ThumbnailDelegate</name>
        <message>
            <source>≈ group {number}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>⚠ unreadable</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ThumbnailLoader</name>
        <message>
            <source>the cached thumbnail is damaged</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>TileContextLayer</name>
        <message>
            <source>Context</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show the tile's neighbourhood around it (X)</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>TileImportDialog</name>
        <message>
            <source> ({mpp} µm/px)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source> px</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>, full resolution</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>1 level</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Automatic</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Could not read {name}: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Dim the parts of the picture that are not tissue (slides) or hold no data (scenes)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Dim what is left out</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Find the tissue by Otsu's threshold on colour saturation</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Import</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Import 1 tile</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Import slides or scenes as tiles</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Import {count} tiles</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Level {index}: {width} × {height} px</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Minimum tissue:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Minimum valid data:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Resolution:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The resolution of the tiles: microns per pixel, or a level of the file's pyramid</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Tile size:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Tissue threshold:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} levels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{mpp} µm per pixel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{name} and 1 more file, cut the same way</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{name} and {count} more files, cut the same way</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{tiles} of {size} px at {mpp} µm/px kept, {left} left out as background (read from level {level})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{tiles} of {size} px at {mpp} µm/px kept, {left} left out as no data (read from level {level})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{tiles} of {size} px kept, {left} left out as background (read from level {level})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{tiles} of {size} px kept, {left} left out as no data (read from level {level})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{width} × {height} px</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>TilePreviewView</name>
        <message>
            <source>Reading the overview…</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>TokenBox</name>
        <message>
            <source>A token is saved.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Access token forgotten.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Access token saved.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Forget</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Hugging Face access token</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No token is saved.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Save</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The token was not removed: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The token was not saved: {error}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>huggingface_hub's token file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{state} Only models with accepted terms need one. It is kept in huggingface_hub's own token file ({where}), never in the project. &lt;a href="{url}"&gt;Make a token&lt;/a&gt; (read access is enough).</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>TrainWorkspace</name>
        <message>
            <source>Curves: a run's loss and validation scores</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Loading the training libraries…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Preparing training…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Run {run} scores {new} on the {count} validation images both runs were checked on; the active run {active} scores {old} on them.

Use run {run} for predictions anyway?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Run {run}: how its loss and validation scores went (selected in Runs)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Runs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The run failed: its curves so far</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The run in progress: its loss and validation scores, live</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Training is unavailable: the machine-learning libraries did not load ({reason}).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Use the new run?</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>TrainingPanel</name>
        <message>
            <source> (best so far)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>1 notice on the Runs tab.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Apple MPS</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Browse…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>CPU ({threads} threads)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>CUDA GPU</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cancel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cancelling after this step…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose a model folder (Hugging Face format)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Download the model?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Downloading {model} (Models page): press Train once it is on this machine.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Downloads on first use (needs the internet once).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Last run: {run}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Loading {model}…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Models…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No run yet</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not started: {model} is not on this machine (the Models page downloads it).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>On this machine ({size} MB).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Read-only ({reason}): training needs the project open for writing.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Ready: choose a model and a method, then Train (Ctrl+Enter).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Run failed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Run {run} failed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Run {run} {status}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Run {run} {status} — accuracy {accuracy}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Run {run} {status}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Run {run} {status}: accuracy {accuracy}, macro-F1 {f1}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Run {run}: {message}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The Models page shows its progress; Train again once it is done.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The loss and validation curves appear here while a model trains.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Train</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Train a model on the labelled images (you can keep labelling) — Ctrl+Enter</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Train anyway?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Training failed: {message}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Training settings</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Training: the model learns from the labelled images.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Use a model folder on this machine (Hugging Face format, safetensors weights)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Which models are on this machine; download or delete them (Ctrl+Shift+M)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>auto — detecting…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>auto — {device}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>epoch {epoch}/{epochs} · step {step}/{steps} · {speed} img/s · ETA {eta}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>epoch {epoch}: validation loss {loss}, accuracy {accuracy}, macro-F1 {f1}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>starting…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{accuracy} accuracy</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} notices on the Runs tab.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{description}. {where}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{model} is not on this machine and cannot be downloaded now. {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{model} is not on this machine yet. Download it now?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{summary}: {cost}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{words}.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>TrainingPlot</name>
        <message>
            <source>F1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Loss</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Loss: training (light blue raw, dark blue smoothed), validation (orange). Validation: accuracy (green), macro-F1 (purple).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Validation</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>acc.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>accuracy</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>epoch</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>macro-F1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>smoothed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>step</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>train</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>train (raw)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>train (smoothed)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>training</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>val.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>validation</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ViewerPanel</name>
        <message>
            <source>Actual pixels (Ctrl+1)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Back to the file's window</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Computing the heatmap with run {run}…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Could not read this file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Fade the heatmap in or out</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Fit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Fit the image in the view (Ctrl+0)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Heatmap</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Heatmap for '{name}' ({probability}): where the model saw it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Loading {file} …</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No heatmap: no trained model is in use (Runs ▸ Use for predictions)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No heatmap: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No image</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Reset W/L</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show where the model found its evidence for the class (H)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The evidence for the predicted class '{name}', by {method}; the slider beside the Heatmap button fades it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>W {width} / L {level}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Window presets (right-drag on the image to adjust)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>not imported: it could not be read</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{count} bands</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{depth}-bit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{unreadable}: {reason}</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>WelcomeView</name>
        <message>
            <source>1  Label</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>2  Train</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>3  Use</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>60 small microscope-like images in three classes, most already labelled</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Drag a folder of images in; press 1–9 to give each image its class.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Language</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Loupe project (*.loupe)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New Loupe project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New project…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No projects yet: try the sample project above, or start a new one.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>One click fine-tunes a pretrained model on your labels, on this machine.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open a Loupe project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open project…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Preparing the sample project…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Recent projects (double-click to open):</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>See its scores and mistakes; predictions appear on every image.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Try it on the sample project</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Turn a folder of images into a classifier you can trust — on this machine.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Welcome to Loupe</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Workspaces</name>
        <message>
            <source>Browse the images and label them (Alt+1)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Check what a model said about new images, accept it as labels (Alt+3)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Label</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Label workspace</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Review</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Review workspace</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Train</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Train a model, watch it learn, compare runs (Alt+2)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Train workspace</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ZeroShotController</name>
        <message>
            <source>Accept the zero-shot suggestion</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accepting 1 zero-shot label (Ctrl+Z undoes)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accepting {n} zero-shot labels (Ctrl+Z undoes)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Downloading {model}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No zero-shot suggestion on the selected images (Run zero-shot in its panel)</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ZeroShotPanel</name>
        <message>
            <source>.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>. Not downloadable: {reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>; 1 image could not be read.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>; {n} images could not be read.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>A zero-shot preset, a hub id, or a model folder (transformers CLIP/SigLIP or open_clip)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accept all above</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accept zero-shot labels?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Accept {count} above</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cancel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>In the grid, Enter accepts the selected tiles' ◇ suggestions; Ctrl+Z undoes.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>It is one action: Ctrl+Z undoes it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Label 1 image with its zero-shot class (confidence {threshold} or more)?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Label {n} images with their zero-shot class (confidence {threshold} or more)?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Loading the model…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Model</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not run yet.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Pre-labels from the class names with a CLIP-family model, before any training</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Prompt templates, one per line ({} is the class)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Run zero-shot</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Zero-shot</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Zero-shot classes for 1 unlabelled image</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Zero-shot classes for {n} unlabelled images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Zero-shot guesses each image's class from the class names alone, before any training. It can be poor on specialist images (slides, scans, satellite tiles): compare it with your own labels below before accepting many. Class descriptions are part of the prompt.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{description} ({domain})</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>core</name>
        <message>
            <source>100 % of the weights; best with many labels, wants a GPU and the most memory</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>AdaLoRA</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>AdamW weight decay.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Augmentation</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Auto (robust range)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Backbone: a preset name, a Hugging Face hub id, or a local folder.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Balance classes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Batch size</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Before any model: one typical image from each group of similar images.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>BiomedCLIP (Microsoft): ViT-B/16 + PubMedBERT trained on 15 M figure-caption pairs (open_clip)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>BitFit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Bone</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Brain</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>CLIP ViT-B/32 vision tower (zero-shot capable family)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Clip the gradient norm to this (0 = off).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Closest call</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Colour saturation (0 to 1) above which a slide's pixel is tissue; default: Otsu's threshold on the slide (at least 0.06). Scenes ignore it (their nodata value decides).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Continue from run</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Continue from the model of this earlier run.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>ConvNeXt-T: a modern CNN, good on textures</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cover the collection</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cross-entropy label smoothing (0 = off).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>DINOv2 ViT-S/14: strong frozen features; the default</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>DINOv3 ViT-L/16 (Meta) distilled on 493 M satellite images (timm copy)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>DataLoader worker processes (0 = load in the training thread).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Device</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>DoRA</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Early stopping after</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Epochs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>False colour (NIR)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Full fine-tune</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>General</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Gradient clipping</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>H&amp;E and IHC tiles at several magnifications; non-commercial use</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>H&amp;E and IHC tiles; academic, non-commercial research only</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>H&amp;E tiles at 20x (0.5 µm/px); non-commercial use; a large GPU</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>H&amp;E tiles at 20x (0.5 µm/px); the one large pathology model licensed for commercial use</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>H&amp;E tiles at 20x (0.5 µm/px); weights free to download, non-commercial use</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>H&amp;E tiles; academic, non-commercial research only</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>H-optimus-0 (Bioptimus): ViT-g/14 with 4 registers, for H&amp;E tiles</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>H-optimus-1 (Bioptimus): ViT-g/14 with 4 registers, for H&amp;E tiles</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Held out for validation</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Histology</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>How much of the model trains: a head on frozen features (linear), a small part of the backbone (bitfit, ia3, lora, dora, adalora, loha, lokr) or every weight (full).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>How training images are varied, by kind of image: general: small crops and light changes; no flips or turns (safe for any images); photographs: crops, left–right mirror images and colour changes; histology: flips both ways, quarter turns and stain colour changes (a tissue tile means the same at any turn); radiology: small turns, crops and brightness/contrast changes; never flipped (left and right matter); remote-sensing: flips both ways, quarter turns and small crops (a scene tile has no up or down); none: every image as it is (documents, digits, anything whose class changes when cropped or turned).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>IA³</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Images in random order: the honest baseline.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Images least like anything labelled so far.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Images on which the model changes its answer when asked again with parts of it switched off at random.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Images per step (halved automatically if the GPU runs out of memory).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Images the model cannot place: its guesses are spread over many classes.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Images the model is least sure of.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Images where the two likeliest classes are nearly tied.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Kronecker-product adapters</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Label smoothing</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Learning rate</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Learning rate; default: the preset's for its suggested method, else the method's own.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Least confident</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Linear probe</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Liver</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>LoHa</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>LoKr</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>LoRA</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>LoRA plus a learned magnitude per weight column</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>LoRA rank</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Loader processes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Lung</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Mediastinum</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Method</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Microns per pixel of the tiles (the file must say its own).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>MobileViT-S: small and fast, for CPU-only machines</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Model</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Model disagrees with itself</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Most uncertain</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>NDVI</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>NDVI = (NIR − red) / (NIR + red), coloured red (−1: water, no vegetation) through yellow (0: bare soil) to green (+1: dense vegetation)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Near-infrared as red: healthy vegetation shows bright red (reflectance 0–0.5)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>None</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>None: the linear probe fits each image's features once, unvaried</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>PLIP (Stanford): CLIP ViT-B/32 fine-tuned on 208 k pathology image-text pairs from Twitter</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Passes over the training images; default: what the step budget gives (min-steps to max-steps).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Phikon-v2 (Owkin): DINOv2 ViT-L/16 trained on 460 M tiles of public slides</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Photographs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Pyramid level to cut (0 = full resolution).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>QuiltNet-B-32: CLIP ViT-B/32 trained on Quilt-1M histopathology videos (open_clip)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>RAD-DINO (Microsoft): DINOv2 ViT-B/14 trained on chest X-rays, 518 px</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Radiology</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Random</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Random seed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Random seed (split of new images, initialisation, shuffling).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rank r of the low-rank adapters (LoRA, DoRA, AdaLoRA's target, LoHa, LoKr).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Red, green, blue as the eye sees them (reflectance 0–0.3)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Remote sensing</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>RemoteCLIP ViT-B/32: CLIP trained on remote-sensing image-text data</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>ResNet-50: the classic CNN baseline</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>SWIR</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>SWIR 2, NIR, red (Sentinel-2 12-8A-4, Landsat 7-5-4): moisture, burn scars, bare soil (reflectance 0–0.5)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Share of a tile that must be tissue (slides) or valid data (scenes); 0 keeps every tile.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Share of each class's labelled images held out for validation (stored: an image keeps its split).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Share of steps spent warming the learning rate up.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>SigLIP ViT-B/16 (Google): image-text model trained with a sigmoid loss</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Soft tissue</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Steps at least</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Steps at most</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Stop after bad losses</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Stop after this many epochs without a better validation loss (0 = never).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Stop after this many non-finite losses in a row.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Swin-T: hierarchical transformer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Tile side in pixels, as the model sees it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>True colour</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Typical and varied</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Typical first, then closest calls</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Typical, varied images until each class has about 5 labels, then near ties.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>UNI (Mahmood Lab): ViT-L/16 trained on 100 k H&amp;E slides</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>UNI2-h (Mahmood Lab): ViT-H/14 with 8 registers, 200 M+ H&amp;E and IHC images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Uncertain and varied</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Uncertain images that also differ from each other.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>ViT-B/16 pretrained on ImageNet-21k</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Virchow2 (Paige): ViT-H/14 with 4 registers, 3.1 M slides at 5x-40x</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Warm-up</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Weight decay</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Weight the loss by inverse class frequency (imbalanced classes).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>With the default epochs: at least this many optimizer steps (a small project gets more passes).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>With the default epochs: at most this many optimizer steps (a large project gets fewer passes).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Zero-shot, each class in turn</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>a well-known baseline to compare against</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>aerial and satellite RGB imagery</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>any image: strong features without fine-tuning</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>auto, cpu, cuda or mps.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>chest X-rays; research use, not clinical practice</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>crops, left–right mirror images and colour changes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>every image as it is (documents, digits, anything whose class changes when cropped or turned)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>every weight</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>flips both ways, quarter turns and small crops (a scene tile has no up or down)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>flips both ways, quarter turns and stain colour changes (a tissue tile means the same at any turn)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>frozen backbone, logistic regression on its cached features (fitted to convergence)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>general</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>learned scaling vectors on the backbone's activations</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>low-rank Hadamard-product adapters</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>low-rank adapters on the backbone's layers</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>low-rank adapters whose rank budget moves to the layers that need it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>machines without a GPU</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>objects at several scales</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>only the head (&lt; 0.05 % of the weights); seconds, even on a CPU</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>pathology</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>photographs and everyday objects</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>radiology</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>remote sensing</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>small crops and light changes; no flips or turns (safe for any images)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>small turns, crops and brightness/contrast changes; never flipped (left and right matter)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>textures and surfaces (inspection, materials)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>the biases and the head</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>zero-shot pre-labels for H&amp;E pathology images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>zero-shot pre-labels for biomedical images (radiology, microscopy, pathology)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>zero-shot pre-labels for histopathology</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>zero-shot pre-labels for satellite and aerial images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>zero-shot pre-labels from class names</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>zero-shot pre-labels from class names; often better than CLIP on everyday photos</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>≈0.1–0.2 % of the weights; minutes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>≈0.1–0.3 % of the weights; minutes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>≈1.5–3 % of the weights at rank 8; minutes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>≈1.5–3.5 % of the weights; minutes, slower steps than LoRA</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>≈2–5 % of the weights, pruned to LoRA's budget as it trains; minutes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>≈3–6 % of the weights; minutes</source>
            <translation type="unfinished" />
        </message>
    </context>
</TS>
