"""
State re-initialised to zeros every batch, although the data is laid out to continue (sample
i + 200 continues sample i): each 20-step window is learned as if it were the start of a series.
"""
import torch
from torch.utils.data import DataLoader, TensorDataset

from sine import SineModel, continuous_sine

EPOCHS = 8
BATCH = 200
UNITS = 16

torch.manual_seed(0)
x, y = continuous_sine(samples=1000, timesteps=20, streams=BATCH)
loader = DataLoader(TensorDataset(x, y), batch_size=BATCH, shuffle=False)
model = SineModel(units=UNITS)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = torch.nn.MSELoss()


def init_hidden(batch_size):
    return torch.zeros(1, batch_size, UNITS), torch.zeros(1, batch_size, UNITS)


for epoch in range(EPOCHS):
    for xb, yb in loader:
        state = init_hidden(xb.size(0))  # BUG for this layout: the carried state is thrown away
        prediction, state = model(xb, state)
        loss = loss_fn(prediction, yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
