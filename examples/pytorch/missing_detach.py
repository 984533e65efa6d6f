"""
The missing .detach(): the state is carried from batch to batch with its autograd graph, so each
backward() reaches back into every earlier batch of the epoch. PyTorch then says "Trying to
backward through the graph a second time"; the popular fix, retain_graph=True, silences it —
and the graph (and memory, and time per batch) grows with every batch. Updating the weights
through `.data` (as older tutorials do) keeps the old graph usable, so the script runs.
"""
import torch
from torch.utils.data import DataLoader, TensorDataset

from sine import SineModel, continuous_sine

EPOCHS = 6
BATCH = 200
LR = 0.05

torch.manual_seed(0)
x, y = continuous_sine(samples=1000, timesteps=20, streams=BATCH)
loader = DataLoader(TensorDataset(x, y), batch_size=BATCH, shuffle=False)
model = SineModel(units=16)
loss_fn = torch.nn.MSELoss()

for epoch in range(EPOCHS):
    state = None
    for xb, yb in loader:
        prediction, state = model(xb, state)  # BUG: state still holds the previous batches' graph
        loss = loss_fn(prediction, yb)
        model.zero_grad()
        loss.backward(retain_graph=True)  # "fixes" the error the missing detach() raises
        for p in model.parameters():
            p.data.add_(p.grad, alpha=-LR)
    print(f"epoch {epoch}: loss {loss.item():.4f}")
