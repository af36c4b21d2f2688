"""A small Gradio Blocks app of the kind a data scientist writes, used as a discover corpus target.

Text transform, file processing with a download, an image shown back, a slider, a streaming
generator (several SSE messages) and an event that raises gr.Error. Login with auth=(user, password)
from the environment. Listens on 127.0.0.1:$PORT only.
"""
import os
import time

import gradio as gr


def shout(text: str, times: float, history: list):
    text = (text or "").strip()
    result = " ".join([text.upper()] * int(times))
    history = (history or []) + [result]
    return result, history, "\n".join(history)


def clear_history():
    return [], ""


def count_words(text: str) -> str:
    words = (text or "").split()
    return f"{len(words)} words, {len(text or '')} characters"


def process_file(path):
    if path is None:
        raise gr.Error("Please upload a file first.")
    with open(path, "r", encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    out_dir = os.path.join(os.environ.get("GRADIO_TEMP_DIR", "/tmp"), "processed")
    os.makedirs(out_dir, exist_ok=True)
    base = os.path.splitext(os.path.basename(path))[0]
    out_path = os.path.join(out_dir, f"{base}-processed.txt")
    with open(out_path, "w", encoding="utf-8") as f:
        for i, line in enumerate(lines, 1):
            f.write(f"{i:04d}  {line.upper()}\n")
    return out_path, f"processed {len(lines)} lines"


def describe_image(img):
    if img is None:
        return None, "no image"
    h, w = img.shape[:2]
    return img[:, ::-1], f"{w}x{h} pixels, mirrored"


def slider_changed(value: float) -> str:
    return f"temperature is now {value:.1f}"


def stream_story(topic: str):
    topic = (topic or "something").strip()
    words = ["Once", "upon", "a", "time", "there", "was", topic, "and", "it", "ended", "happily."]
    acc = ""
    for w in words:
        acc = (acc + " " + w).strip()
        time.sleep(0.3)
        yield acc
    yield acc + " THE END"


def validate_age(age: str) -> str:
    try:
        n = int(age)
    except (TypeError, ValueError):
        raise gr.Error(f"'{age}' is not a whole number of years")
    if n < 0 or n > 150:
        raise gr.Error("Age must be between 0 and 150")
    return f"In ten years you will be {n + 10}."


with gr.Blocks(title="Text & File Toolkit", analytics_enabled=False) as demo:
    gr.Markdown("# Text & File Toolkit")
    with gr.Tab("Text"):
        text_in = gr.Textbox(label="Input text", placeholder="Type something")
        times = gr.Slider(1, 5, value=1, step=1, label="Repeat")
        shout_btn = gr.Button("Shout", variant="primary")
        text_out = gr.Textbox(label="Shouted text", interactive=False)
        stats_out = gr.Textbox(label="Statistics", interactive=False)
        history = gr.State([])  # per-session history: makes the page keep a heartbeat stream open
        history_out = gr.Textbox(label="History", interactive=False, lines=3)
        clear_btn = gr.Button("Clear history")
        shout_btn.click(shout, inputs=[text_in, times, history], outputs=[text_out, history, history_out], api_name="shout")
        clear_btn.click(clear_history, inputs=None, outputs=[history, history_out], api_name="clear_history")
        text_in.submit(count_words, inputs=text_in, outputs=stats_out, api_name="count_words")
    with gr.Tab("Files"):
        file_in = gr.File(label="Text file to process", file_types=[".txt", ".csv"], elem_id="file-in")
        process_btn = gr.Button("Process file")
        file_out = gr.File(label="Processed file", elem_id="file-out")
        file_status = gr.Textbox(label="File status", interactive=False)
        process_btn.click(process_file, inputs=file_in, outputs=[file_out, file_status], api_name="process_file")
    with gr.Tab("Image"):
        img_in = gr.Image(label="Image to mirror", type="numpy", elem_id="img-in")
        img_out = gr.Image(label="Mirrored image", interactive=False, elem_id="img-out")
        img_info = gr.Textbox(label="Image info", interactive=False)
        img_in.upload(describe_image, inputs=img_in, outputs=[img_out, img_info], api_name="describe_image")
    with gr.Tab("Settings"):
        temperature = gr.Slider(0, 2, value=0.7, step=0.1, label="Temperature", elem_id="temperature")
        temp_out = gr.Textbox(label="Setting status", interactive=False)
        temperature.release(slider_changed, inputs=temperature, outputs=temp_out, api_name="set_temperature")
    with gr.Tab("Story"):
        topic = gr.Textbox(label="Story topic")
        story_btn = gr.Button("Tell story")
        story_out = gr.Textbox(label="Story", interactive=False)
        story_btn.click(stream_story, inputs=topic, outputs=story_out, api_name="story")
    with gr.Tab("Age"):
        age_in = gr.Textbox(label="Your age")
        age_btn = gr.Button("Check age")
        age_out = gr.Textbox(label="Age result", interactive=False)
        age_btn.click(validate_age, inputs=age_in, outputs=age_out, api_name="check_age")


if __name__ == "__main__":
    user = os.environ.get("GRADIO_USER", "admin")
    password = os.environ["GRADIO_PASSWORD"]
    options = dict(
        server_name="127.0.0.1",
        server_port=int(os.environ.get("PORT", "7861")),
        share=False,
        auth=(user, password),
        show_api=True,
        inbrowser=False,
    )
    if int(gr.__version__.split(".")[0]) >= 5:
        options["ssr_mode"] = False  # no Node.js server: the plain FastAPI app serves the UI
    demo.queue().launch(**options)
