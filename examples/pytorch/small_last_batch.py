"""
A last batch smaller than the state: 1000 samples in batches of 300 leave a batch of 100. Passing
the 300-row state would fail ("Expected hidden[0] size (1, 100, 16), got [1, 300, 16]"), so the
script slices the state to the batch: rows 0–99 carry on, rows 100–299 are dropped.
Samples are laid out so sample i + 300 continues sample i.
"""
import torch
from torch.utils.data import DataLoader, TensorDataset

from sine import SineModel, continuous_sine

EPOCHS = 8
BATCH = 300

torch.manual_seed(0)
x, y = continuous_sine(samples=1000, timesteps=20, streams=BATCH)
loader = DataLoader(TensorDataset(x, y), batch_size=BATCH, shuffle=False)
model = SineModel(units=16)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = torch.nn.MSELoss()

for epoch in range(EPOCHS):
    state = None
    for xb, yb in loader:
        if state is not None and state[0].size(1) != xb.size(0):
            state = tuple(s[:, : xb.size(0)].contiguous() for s in state)  # fit the state to the batch
        prediction, state = model(xb, state)
        state = tuple(s.detach() for s in state)
        loss = loss_fn(prediction, yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
