"""
Validation between epochs, with the same state variable: validation starts from the training
state, overwrites it, and the next epoch's training carries on from validation's final state
(what Keras does implicitly with stateful layers). Training streams are samples 0–799
(sample i + 200 continues sample i); validation is samples 800–999.
"""
import torch
from torch.utils.data import DataLoader, Subset, TensorDataset

from sine import SineModel, continuous_sine

EPOCHS = 8
BATCH = 200

torch.manual_seed(0)
x, y = continuous_sine(samples=1000, timesteps=20, streams=BATCH)
data = TensorDataset(x, y)
train_loader = DataLoader(Subset(data, range(0, 800)), batch_size=BATCH, shuffle=False)
val_loader = DataLoader(Subset(data, range(800, 1000)), batch_size=BATCH, shuffle=False)
model = SineModel(units=16)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = torch.nn.MSELoss()

state = None
for epoch in range(EPOCHS):
    model.train()
    for xb, yb in train_loader:
        prediction, state = model(xb, state)
        state = tuple(s.detach() for s in state)
        loss = loss_fn(prediction, yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        val_loss = 0.0
        for xb, yb in val_loader:
            prediction, state = model(xb, state)  # BUG: validation overwrites the training state
            val_loss += loss_fn(prediction, yb).item()
    print(f"epoch {epoch}: loss {loss.item():.4f}, validation {val_loss / len(val_loader):.4f}")
