"""
Truncated BPTT done right: the state is carried from batch to batch (row i continues row i,
because sample i + 200 continues sample i and the loader does not shuffle), detached so that
backward() stops at the batch boundary, and started from zeros at every epoch.

The PyTorch version of the seed config: X (1000, 20, 1), batch 200, 16 units, 15 epochs.
"""
import sys

import torch
from torch.utils.data import DataLoader, TensorDataset

from sine import SineModel, continuous_sine

EPOCHS = int(sys.argv[1]) if len(sys.argv) > 1 else 15
BATCH = 200

torch.manual_seed(0)
x, y = continuous_sine(samples=1000, timesteps=20, streams=BATCH)
loader = DataLoader(TensorDataset(x, y), batch_size=BATCH, shuffle=False)
model = SineModel(units=16)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = torch.nn.MSELoss()

for epoch in range(EPOCHS):
    state = None  # each epoch starts the streams from their beginning
    total = 0.0
    for xb, yb in loader:
        prediction, state = model(xb, state)
        state = tuple(s.detach() for s in state)  # keep the values, drop the graph
        loss = loss_fn(prediction, yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
    print(f"epoch {epoch}: loss {total / len(loader):.4f}")
