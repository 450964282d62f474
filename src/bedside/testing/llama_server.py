"""`LlamaServerProcess`: a real llama.cpp server in a child process, on 127.0.0.1, for tests.

The `openai-compatible` generator is tested against it as it would talk to `llama-server`:
llama.cpp's own HTTP server (from the `xllamacpp` wheel of the `llama` extra), a GGUF model, an
API key, a random free port. Nothing is mocked.

    with LlamaServerProcess(gguf_path, api_key="k") as server:
        generator = OpenAICompatibleGenerator(ServerOptions(server.url, model="m", api_key="k"))

Run as `python -m bedside.testing.llama_server MODEL` it prints the server's base URL (up to
`/v1`) and serves until its standard input closes; the key comes from the environment
variable `BEDSIDE_LLAMA_SERVER_KEY`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import TracebackType

KEY_VARIABLE = "BEDSIDE_LLAMA_SERVER_KEY"


class LlamaServerProcess:
    """Starts the server on enter (waiting until the model is loaded); stops it on exit."""

    def __init__(self, model_path: Path, *, api_key: str, threads: int = 2) -> None:
        self.model_path = model_path
        self.api_key = api_key
        self.threads = threads
        self.url = ""
        self._process: subprocess.Popen[str] | None = None

    def __enter__(self) -> LlamaServerProcess:
        command = [sys.executable, "-m", __name__, str(self.model_path), str(self.threads)]
        environment = {**os.environ, KEY_VARIABLE: self.api_key}
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=environment
        )
        assert self._process.stdout is not None
        self.url = self._process.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.__exit__(None, None, None)
            raise RuntimeError(f"the llama.cpp server did not start (it printed {self.url!r})")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._process is not None:
            assert self._process.stdin is not None
            self._process.stdin.close()  # the child's signal to stop
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None


def _serve(model_path: str, threads: int) -> None:
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see compose/llama_cpp.py
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = model_path
    params.n_ctx = 4096
    params.n_parallel = 1
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.api_keys = [os.environ[KEY_VARIABLE]]
    params.ui = False
    params.verbosity = 0
    server = xllamacpp.Server(params)
    print(f"{server.listening_address}/v1", flush=True)
    sys.stdin.read()  # until the parent closes our standard input
    del server


if __name__ == "__main__":
    _serve(sys.argv[1], int(sys.argv[2]))
