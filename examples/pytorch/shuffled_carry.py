"""
Carried state with a shuffled DataLoader: the state of row i is carried to the next batch, but
row i of the next batch is a random sample, not the continuation of row i. The numbers look
carried; the sampler says the data does not continue.
"""
import torch
from torch.utils.data import DataLoader, TensorDataset

from sine import SineModel, continuous_sine

EPOCHS = 8
BATCH = 200

torch.manual_seed(0)
x, y = continuous_sine(samples=1000, timesteps=20, streams=BATCH)
loader = DataLoader(TensorDataset(x, y), batch_size=BATCH, shuffle=True)  # BUG with a carried state
model = SineModel(units=16)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = torch.nn.MSELoss()

for epoch in range(EPOCHS):
    state = None
    for xb, yb in loader:
        prediction, state = model(xb, state)
        state = tuple(s.detach() for s in state)
        loss = loss_fn(prediction, yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
