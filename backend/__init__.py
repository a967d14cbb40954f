"""Backprop Playground: watch a small NumPy neural network learn, pass by pass.

Layers, each importing only from the ones before it:

* ``backend.engine`` — the network, its forward and backward passes and training loop
  (NumPy and the standard library only);
* ``backend.jobs`` — training jobs that drive the engine and turn its steps into frames;
* ``backend.api`` — the HTTP and WebSocket service that streams frames to the browser.
"""

__version__ = "0.1.0"
